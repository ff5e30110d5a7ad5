using System.Text;
using Gateway.Caching;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Http;

/// <summary>The reuse rule alone: what a request may be served from the response cache, and what it may leave there.</summary>
public sealed class ResponseReuseTests : IDisposable
{
    private static readonly GatewayUserContext Anonymous = GatewayUserContext.WithoutCredentials(new GatewayError(ErrorCodes.Unauthenticated, "none"));
    private static readonly byte[] Answer = Encoding.UTF8.GetBytes("""{"data":{}}""");

    private readonly ResponseCache _responses = new(Options.Create(new GraphQLHttpOptions()), new FakeTimeProvider(DateTimeOffset.UnixEpoch));

    public void Dispose() => _responses.Dispose();

    [Fact]
    public void A_complete_answer_is_served_again_for_the_same_bytes_only()
    {
        Keep(Post("{\"query\":\"{a}\"}"));

        Assert.True(For(Post("{\"query\":\"{a}\"}")).TryServe(out var served));
        Assert.Equal(Answer, served);
        Assert.False(For(Post("{\"query\":\"{b}\"}")).TryServe(out _));
        Assert.False(For(Post("{\"query\":\"{a}\"}"), MediaTypes.Json).TryServe(out _));
    }

    [Fact]
    public void No_cache_is_never_served_but_its_fresh_answer_is_kept_for_the_next()
    {
        var refresh = Post("{\"query\":\"{a}\"}");
        refresh.Request.Headers.CacheControl = "no-cache";

        var reuse = For(refresh);
        Assert.False(reuse.TryServe(out _));
        reuse.Offer(StatusCodes.Status200OK, Executed(), Answer);

        Assert.True(For(Post("{\"query\":\"{a}\"}")).TryServe(out _));
    }

    [Fact]
    public void A_freshness_report_request_neither_reads_nor_writes()
    {
        var http = Post("{\"query\":\"{a}\"}");
        http.Request.Headers[CacheDirectives.InfoHeader] = "1";

        Assert.Null(ResponseReuse.For(_responses, http.Request, RequestBody.None, Anonymous, MediaTypes.GraphQLResponse));
    }

    [Fact]
    public void Only_a_200_executed_without_errors_from_reusable_data_is_kept()
    {
        Offer(StatusCodes.Status400BadRequest, Executed(), "{1}");
        Offer(StatusCodes.Status200OK, new ExecutionResult(), "{2}");
        Offer(StatusCodes.Status200OK, new ExecutionResult(new GatewayError(ErrorCodes.UpstreamTimeout, "late")) { Executed = true }, "{3}");
        var undated = For(Get("?query={4}"));
        undated.Freshness.MarkNotReusable();
        undated.Offer(StatusCodes.Status200OK, Executed(), Answer);

        foreach (var query in new[] { "{1}", "{2}", "{3}", "{4}" })
        {
            Assert.False(For(Get("?query=" + query)).TryServe(out _), query);
        }
    }

    private void Offer(int status, ExecutionResult result, string query) => For(Get("?query=" + query)).Offer(status, result, Answer);

    private void Keep(DefaultHttpContext http) => For(http).Offer(StatusCodes.Status200OK, Executed(), Answer);

    private ResponseReuse For(DefaultHttpContext http, string mediaType = MediaTypes.GraphQLResponse)
    {
        var body = http.Request.Body is MemoryStream content ? new RequestBody(content, null) : RequestBody.None;
        return ResponseReuse.For(_responses, http.Request, body, Anonymous, mediaType)!;
    }

    private static ExecutionResult Executed() => new() { Executed = true };

    private static DefaultHttpContext Get(string queryString)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Get;
        http.Request.QueryString = new QueryString(queryString);
        return http;
    }

    private static DefaultHttpContext Post(string json)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = HttpMethods.Post;
        var content = new MemoryStream();
        content.Write(Encoding.UTF8.GetBytes(json));
        http.Request.Body = content;
        return http;
    }
}
