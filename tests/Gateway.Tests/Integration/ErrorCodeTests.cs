using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Integration;

/// <summary>Every documented error code, produced by a real request through the gateway.</summary>
[Collection(GatewayCollection.Name)]
public sealed class ErrorCodeTests(GatewayFixture fixture) : IDisposable
{
    private const string PageQuery = "query($p: String, $first: Int, $last: Int, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, last: $last, after: $after, where: $where) { totalCount nodes { id } } }";

    public void Dispose() => fixture.Emulator.Control.ClearFaults();

    [Fact]
    public async Task No_token_is_UNAUTHENTICATED() =>
        await AssertCodeAsync(new { p = "errors" }, "UNAUTHENTICATED", token: null);

    [Fact]
    public async Task No_workspace_is_BAD_USER_INPUT() =>
        await AssertCodeAsync(new { p = "errors" }, "BAD_USER_INPUT", workspace: null);

    [Fact]
    public async Task No_project_and_no_default_is_BAD_USER_INPUT() =>
        await AssertCodeAsync(new { }, "BAD_USER_INPUT");

    [Theory]
    [InlineData("../../v1/other")]
    [InlineData("p%2Fx")]
    [InlineData("p?limit=1")]
    [InlineData("p#x")]
    [InlineData("p x")]
    public async Task A_project_id_that_could_change_the_upstream_path_is_BAD_USER_INPUT(string projectId)
    {
        var calls = fixture.Emulator.Control.ListCalls;

        await AssertCodeAsync(new { p = projectId }, "BAD_USER_INPUT");

        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    [Fact]
    public async Task First_and_last_together_is_BAD_USER_INPUT() =>
        await AssertCodeAsync(new { p = "errors", first = 5, last = 5 }, "BAD_USER_INPUT");

    [Fact]
    public async Task A_negative_page_size_is_BAD_USER_INPUT() =>
        await AssertCodeAsync(new { p = "errors", first = -1 }, "BAD_USER_INPUT");

    [Fact]
    public async Task More_than_the_maximum_page_size_is_PAGE_SIZE_EXCEEDED() =>
        await AssertCodeAsync(new { p = "errors", first = 101 }, "PAGE_SIZE_EXCEEDED");

    [Fact]
    public async Task A_forged_cursor_is_INVALID_CURSOR() =>
        await AssertCodeAsync(new { p = "errors", after = "bm90LWEtY3Vyc29y" }, "INVALID_CURSOR");

    [Fact]
    public async Task A_cursor_from_another_query_is_INVALID_CURSOR()
    {
        using var client = fixture.Client();
        var page = await client.PostAsync(PageQuery, new { p = "errors", first = 1 });
        Assert.True(page.Errors is null, page.ToString());
        var cursor = await client.PostAsync("query($p: String) { qualityTaskInstances(projectId: $p, first: 1) { pageInfo { endCursor } } }", new { p = "errors" });
        var endCursor = cursor.Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        await AssertCodeAsync(client, new { p = "errors", after = endCursor, where = new { runStatus = new { eq = "FAILED" } } }, "INVALID_CURSOR");
        await AssertCodeAsync(client, new { p = "errors-elsewhere", after = endCursor }, "INVALID_CURSOR");
    }

    [Fact]
    public async Task An_upstream_validation_failure_is_UPSTREAM_BAD_REQUEST_with_its_code()
    {
        // 1990 is a 12-digit epoch-millisecond value; the upstream requires 13 digits.
        var errors = await AssertCodeAsync(new { p = "errors-bad-request", where = new { startTime = new { gte = "1990-01-01T00:00:00Z" } } }, "UPSTREAM_BAD_REQUEST");

        Assert.StartsWith("DQC.", errors[0]!["extensions"]!["upstreamErrorCode"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_the_upstream_rejects_is_UPSTREAM_UNAUTHORIZED()
    {
        var errors = await AssertCodeAsync(new { p = "errors-401" }, "UPSTREAM_UNAUTHORIZED", token: "token-unknown-to-iam");

        Assert.Equal("APIGW.0301", errors[0]!["extensions"]!["upstreamErrorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_project_the_token_may_not_read_is_UPSTREAM_FORBIDDEN() =>
        await AssertCodeAsync(new { p = "errors-403" }, "UPSTREAM_FORBIDDEN", token: GatewayFixture.RestrictedToken);

    [Theory]
    [InlineData("APIGW.0308")]
    [InlineData("APIG.0308")]
    public async Task Upstream_throttling_is_UPSTREAM_RATE_LIMITED_with_retry_after(string upstreamCode)
    {
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.TooManyRequests429, RetryAfterSeconds: 7, ErrorCode: upstreamCode));

        var errors = await AssertCodeAsync(new { p = "errors-429-" + upstreamCode.Replace(".", "-", StringComparison.Ordinal) }, "UPSTREAM_RATE_LIMITED");

        Assert.Equal(7, errors[0]!["extensions"]!["retryAfterSeconds"]!.GetValue<int>());
        Assert.Equal(upstreamCode, errors[0]!["extensions"]!["upstreamErrorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_upstream_500_is_UPSTREAM_UNAVAILABLE()
    {
        // Until cleared: a single 500 would be retried away.
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500, Times: 0));

        await AssertCodeAsync(new { p = "errors-500" }, "UPSTREAM_UNAVAILABLE");
    }

    [Fact]
    public async Task A_slow_upstream_is_UPSTREAM_TIMEOUT()
    {
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.Slow, Times: 0, DelayMilliseconds: 5_000));

        await AssertCodeAsync(new { p = "errors-slow" }, "UPSTREAM_TIMEOUT");
    }

    [Fact]
    public async Task Malformed_upstream_json_is_UPSTREAM_BAD_RESPONSE()
    {
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.MalformedJson));

        await AssertCodeAsync(new { p = "errors-malformed" }, "UPSTREAM_BAD_RESPONSE");
    }

    [Fact]
    public async Task Upstream_errors_are_not_cached()
    {
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500, Times: 0));
        using var client = fixture.Client();
        await AssertCodeAsync(client, new { p = "errors-not-cached" }, "UPSTREAM_UNAVAILABLE");
        fixture.Emulator.Control.ClearFaults();

        var response = await client.PostAsync(PageQuery, new { p = "errors-not-cached" });

        Assert.True(response.Errors is null, response.ToString());
    }

    [Fact]
    public async Task No_error_response_contains_the_token_or_a_stack_trace()
    {
        const string token = "token-unknown-to-iam-with-a-distinctive-marker";
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500, Times: 0));
        using var client = fixture.Client(token: token);

        var responses = new[]
        {
            await client.PostAsync(PageQuery, new { p = "errors-secret" }),
            await client.PostAsync(PageQuery, new { p = "errors-secret-2" }),
            await client.PostAsync(PageQuery, new { p = "errors-secret", after = "x" }),
        };

        foreach (var response in responses)
        {
            Assert.NotNull(response.Errors);
            Assert.DoesNotContain(token, response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", response.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", response.Body, StringComparison.Ordinal);
        }
    }

    private async Task<System.Text.Json.Nodes.JsonArray> AssertCodeAsync(object variables, string code, string? token = GraphQLClient.DefaultToken, string? workspace = GraphQLClient.DefaultWorkspace)
    {
        using var client = fixture.Client(token, workspace);
        return await AssertCodeAsync(client, variables, code);
    }

    private static async Task<System.Text.Json.Nodes.JsonArray> AssertCodeAsync(GraphQLClient client, object variables, string code)
    {
        var response = await client.PostAsync(PageQuery, variables);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.Status);
        Assert.True(response.Errors is { Count: 1 }, response.ToString());
        Assert.Equal(code, response.ErrorCodes[0]);
        Assert.Null(response.Json["data"]!["qualityTaskInstances"]);
        Assert.Equal("qualityTaskInstances", response.Errors[0]!["path"]![0]!.GetValue<string>());
        return response.Errors;
    }
}
