using Gateway.Caching;
using Gateway.Http;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Http;

/// <summary>
/// Reused responses: the same caller sending the same bytes may get the same answer for a
/// moment, never another caller, never an answer with errors, never past the data's freshness,
/// and never when the caller asked for fresh data or a freshness report.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class ResponseCacheTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_response_is_never_served_to_another_caller()
    {
        // Alice may read this project; the restricted token may not. Same bytes, same second.
        const string Query = "{ qualityTaskInstances(projectId: \"" + GatewayFixture.ForbiddenProject + "\", first: 2) { totalCount nodes { id } } }";
        using var alice = fixture.Client();
        using var restricted = fixture.Client(token: GatewayFixture.RestrictedToken);

        var allowed = await alice.PostAsync(Query);
        var denied = await restricted.PostAsync(Query);

        Assert.Null(allowed.Errors);
        Assert.Equal(["UPSTREAM_FORBIDDEN"], denied.ErrorCodes);
        Assert.Null(denied.Json["data"]!["qualityTaskInstances"]);
    }

    [Fact]
    public async Task The_same_workspace_with_another_token_or_the_same_token_in_another_workspace_is_another_caller()
    {
        const string Project = "reuse-callers";
        const string Query = "{ qualityTaskInstances(projectId: \"" + Project + "\", first: 1) { nodes { id } } }";
        using var alice = fixture.Client();
        using var bob = fixture.Client(token: GatewayFixture.SecondToken);
        using var aliceElsewhere = fixture.Client(workspace: "ws-elsewhere");
        using var noWorkspace = fixture.Client(workspace: null);

        // Same bytes within the same second: each caller is still answered from the upstream
        // with its own credentials, never from another caller's reused response or blocks.
        var answers = new[] { await alice.PostAsync(Query), await bob.PostAsync(Query), await aliceElsewhere.PostAsync(Query), await alice.PostAsync(Query) };
        var missingWorkspace = await noWorkspace.PostAsync(Query);

        Assert.All(answers, answer => Assert.True(answer.Errors is null, answer.ToString()));
        var calls = fixture.Emulator.Control.Requests.Where(request => request.ProjectId == Project).Select(request => (request.Token, request.Workspace)).ToList();
        Assert.Equal(
            [(GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace), (GatewayFixture.SecondToken, GraphQLClient.DefaultWorkspace), (GraphQLClient.DefaultToken, "ws-elsewhere")],
            calls);
        Assert.Equal(["BAD_USER_INPUT"], missingWorkspace.ErrorCodes);
    }

    [Fact]
    public async Task No_cache_gets_fresh_data_and_later_requests_see_it_too()
    {
        const string Query = "{ qualityTaskInstances(projectId: \"reuse-refresh\", first: 1) { totalCount } }";
        using var client = fixture.Client();
        var before = Total(await client.PostAsync(Query));
        Assert.Equal(before, Total(await client.PostAsync(Query)));

        fixture.Emulator.Control.InsertAtHead("reuse-refresh", 3);
        var refreshed = Total(await client.PostAsync(Query, configure: request => request.Headers.CacheControl = new() { NoCache = true }));
        var after = Total(await client.PostAsync(Query));

        Assert.Equal(before + 3, refreshed);
        Assert.Equal(refreshed, after);
    }

    [Fact]
    public async Task A_freshness_report_is_always_computed_for_the_request_that_asks()
    {
        const string Query = "{ qualityTaskInstances(projectId: \"reuse-report\", first: 1) { totalCount } }";
        using var client = fixture.Client();
        await client.PostAsync(Query);
        await client.PostAsync(Query);

        var reported = await client.PostAsync(Query, configure: request => request.Headers.Add(CacheDirectives.InfoHeader, "1"));
        var plain = await client.PostAsync(Query);

        Assert.Equal("HIT", reported.Json["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>());
        Assert.Null(plain.Json["extensions"]);
    }

    [Fact]
    public async Task An_answer_with_errors_is_not_reused()
    {
        const string Query = "{ qualityTaskInstances(projectId: \"reuse-errors\", first: 1) { totalCount } }";
        using var client = fixture.Client();
        fixture.Emulator.Control.InjectFault(new QualityApi.Emulator.Fault(QualityApi.Emulator.FaultKind.MalformedJson, Times: 1));
        var failed = await client.PostAsync(Query);
        fixture.Emulator.Control.ClearFaults();

        var recovered = await client.PostAsync(Query);

        Assert.NotEmpty(failed.ErrorCodes);
        Assert.Null(recovered.Errors);
    }

    [Fact]
    public void A_response_is_not_kept_past_the_freshness_of_its_blocks()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        using var cache = new ResponseCache(Options.Create(new GraphQLHttpOptions { ResponseTtl = TimeSpan.FromSeconds(1) }), time);
        var key = new ResponseKey("caller", "POST", "application/json", "{\"query\":\"{ a }\"}"u8.ToArray());

        cache.Store(key, "stale"u8, freshUntil: time.GetUtcNow());
        Assert.False(cache.TryGet(key, out _));

        cache.Store(key, "fresh"u8, freshUntil: time.GetUtcNow().AddMinutes(1));
        Assert.True(cache.TryGet(key, out var body));
        Assert.Equal("fresh"u8.ToArray(), body);
        Assert.False(cache.TryGet(new ResponseKey("other caller", "POST", "application/json", "{\"query\":\"{ a }\"}"u8.ToArray()), out _));
        Assert.False(cache.TryGet(new ResponseKey("caller", "POST", "application/graphql-response+json", "{\"query\":\"{ a }\"}"u8.ToArray()), out _));
    }

    [Fact]
    public void Response_reuse_can_be_turned_off()
    {
        using var cache = new ResponseCache(Options.Create(new GraphQLHttpOptions { ResponseTtl = TimeSpan.Zero }), new FakeTimeProvider());

        Assert.False(cache.Enabled);
    }

    private static int Total(GraphQLResponse response) =>
        response.Json["data"]!["qualityTaskInstances"]!["totalCount"]!.GetValue<int>();
}
