using System.Net;
using System.Text;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace Gateway.Tests.Upstream;

/// <summary>
/// How each upstream answer becomes a typed failure, through the real Refit client: the HTTP
/// layer is a canned answer, since the cases include ones no emulator should produce on
/// purpose (an upstream echoing the token, throttling under a 400).
/// </summary>
public sealed class UpstreamErrorTranslationTests
{
    private const string Token = "token-that-must-never-be-echoed";

    [Theory]
    [InlineData(401, """{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}""", UpstreamErrorKind.Unauthorized, "APIGW.0301")]
    [InlineData(403, """{"error_code":"DQC.0006","error_msg":"no permission"}""", UpstreamErrorKind.Forbidden, "DQC.0006")]
    [InlineData(429, """{"error_code":"APIGW.0308","error_msg":"throttled"}""", UpstreamErrorKind.RateLimited, "APIGW.0308")]
    [InlineData(400, """{"error_code":"APIG.0308","error_msg":"throttled"}""", UpstreamErrorKind.RateLimited, "APIG.0308")]
    [InlineData(400, """{"error_code":"DQC.0005","error_msg":"bad start_time"}""", UpstreamErrorKind.BadRequest, "DQC.0005")]
    [InlineData(500, """{"error_code":"DQC.0500","error_msg":"Internal server error"}""", UpstreamErrorKind.Unavailable, "DQC.0500")]
    [InlineData(503, "Service Unavailable", UpstreamErrorKind.Unavailable, null)]
    [InlineData(504, "", UpstreamErrorKind.Timeout, null)]
    public async Task An_error_answer_becomes_its_kind_with_the_upstream_code(int status, string body, UpstreamErrorKind kind, string? code)
    {
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => FetchAsync(Answer((HttpStatusCode)status, body)));

        Assert.Equal(kind, failure.Kind);
        Assert.Equal(code, failure.UpstreamErrorCode);
        Assert.Equal(status, failure.StatusCode);
    }

    [Fact]
    public async Task A_retry_after_header_is_passed_on()
    {
        var answer = Answer(HttpStatusCode.TooManyRequests, """{"error_code":"APIGW.0308","error_msg":"throttled"}""");
        answer.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));

        var failure = await Assert.ThrowsAsync<UpstreamException>(() => FetchAsync(answer));

        Assert.Equal(7, failure.RetryAfterSeconds);
    }

    [Fact]
    public async Task A_validation_message_is_passed_on_without_the_token()
    {
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => FetchAsync(Answer(HttpStatusCode.BadRequest, $$"""{"error_code":"DQC.0001","error_msg":"limit invalid for {{Token}}"}""")));

        Assert.Contains("limit invalid for ***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_a_result_list_is_a_bad_response()
    {
        var failure = await Assert.ThrowsAsync<UpstreamException>(() => FetchAsync(Answer(HttpStatusCode.OK, "<html>not json</html>", "application/json")));

        Assert.Equal(UpstreamErrorKind.BadResponse, failure.Kind);
    }

    private static HttpResponseMessage Answer(HttpStatusCode status, string body, string mediaType = "application/json") =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };

    private static async Task FetchAsync(HttpResponseMessage answer)
    {
        var services = new ServiceCollection().AddLogging().AddMetrics();
        services.AddRefitGeneratedClient<IQualityInstancesApi>(UpstreamJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://upstream.invalid/"))
            .ConfigurePrimaryHttpMessageHandler(() => new CannedAnswer(answer));
        services.AddSingleton<IUpstreamBudget, Unlimited>();
        services.AddSingleton<Gateway.Telemetry.GatewayMetrics>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<QualityInstancesClient>();
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<QualityInstancesClient>().FetchBlockAsync(new UpstreamCredentials(Token, "ws"), new InstanceListScope("p1", InstanceFilter.None), 0, CancellationToken.None);
    }

    private sealed class CannedAnswer(HttpResponseMessage answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            answer.RequestMessage = request;
            return Task.FromResult(answer);
        }
    }

    private sealed class Unlimited : IUpstreamBudget, IDisposable
    {
        public ValueTask<IDisposable> AcquireAsync(UpstreamCredentials credentials, CancellationToken cancellationToken) => ValueTask.FromResult<IDisposable>(this);

        public void Dispose()
        {
        }
    }
}
