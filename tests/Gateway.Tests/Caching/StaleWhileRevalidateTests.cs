using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using QualityApi.Emulator;

namespace Gateway.Tests.Caching;

/// <summary>
/// Stale-while-revalidate (Cache:StaleTtl) on a real gateway, Redis and emulator, with the
/// gateway's clock a FakeTimeProvider: blocks age when a test says so. The clock only moves
/// while nothing is in flight (a fake clock that jumps also fires every timeout it governs).
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class StaleWhileRevalidateTests(CacheFixture fixture)
{
    private const string Page = "query($p: String, $first: Int, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";

    // Every instance SUCCESS: blocks without unfinished runs, fresh for Cache:Ttl (30 s).
    private static readonly object Settled = new { runStatus = new { eq = "SUCCESS" } };

    // Every instance RUNNING: blocks fresh for Cache:VolatileTtl (5 s) only.
    private static readonly object Running = new { runStatus = new { eq = "RUNNING" } };

    [Fact]
    public async Task Within_StaleTtl_an_expired_block_is_answered_at_once_as_STALE_and_refreshed_once_in_the_background()
    {
        const string project = "swr-at-once";
        var (gateway, time) = Start();
        await using var _ = gateway;
        using var client = Carol(gateway);
        var first = await PostAsync(client, project, Settled);
        Assert.Equal(("MISS", 1), (Status(first), fixture.CallsFor(project)));

        time.Advance(TimeSpan.FromSeconds(31));
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.Slow, DelayMilliseconds: 3_000));
        var stale = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(client, project, Settled)));

        // All answered with the old copy while the one refresh was still held at the upstream.
        Assert.Equal(1, Revalidation(gateway).Running);
        Assert.All(stale, answer =>
        {
            Assert.Equal(("STALE", 31_000L), (Status(answer), Age(answer)));
            Assert.Equal(Nodes(first), Nodes(answer));
        });
        await UntilRefreshedAsync(gateway, project, calls: 2);
        var refreshed = await PostAsync(client, project, Settled);
        Assert.Equal(("HIT", 0L, 2), (Status(refreshed), Age(refreshed), fixture.CallsFor(project)));
    }

    [Fact]
    public async Task Past_StaleTtl_a_block_is_fetched_before_answering()
    {
        const string project = "swr-past-bound";
        var (gateway, time) = Start(new() { ["Cache:StaleTtl"] = "00:01:00" });
        await using var _ = gateway;
        using var client = Carol(gateway);
        await PostAsync(client, project, Settled);

        time.Advance(TimeSpan.FromSeconds(30 + 61));
        var answer = await PostAsync(client, project, Settled);

        Assert.Equal(("MISS", 0L, 2), (Status(answer), Age(answer), fixture.CallsFor(project)));
    }

    [Fact]
    public async Task Cache_control_no_cache_still_forces_a_fresh_answer_within_StaleTtl()
    {
        const string project = "swr-no-cache";
        var (gateway, time) = Start();
        await using var _ = gateway;
        using var client = Carol(gateway);
        await PostAsync(client, project, Settled);

        time.Advance(TimeSpan.FromSeconds(31));
        var answer = await PostAsync(client, project, Settled, noCache: true);

        Assert.Equal(("REFRESH", 0L, 2), (Status(answer), Age(answer), fixture.CallsFor(project)));
        Assert.Equal(0, Revalidation(gateway).Running);
    }

    [Fact]
    public async Task A_block_with_unfinished_runs_keeps_its_short_freshness_and_its_own_short_stale_bound()
    {
        const string project = "swr-volatile";
        var (gateway, time) = Start(new() { ["Cache:VolatileTtl"] = "00:00:05", ["Cache:VolatileStaleTtl"] = "00:00:05" });
        await using var _ = gateway;
        using var client = Carol(gateway);
        await PostAsync(client, project, Running);

        time.Advance(TimeSpan.FromSeconds(6));
        var stale = await PostAsync(client, project, Running);
        Assert.Equal("STALE", Status(stale));
        await UntilRefreshedAsync(gateway, project, calls: 2);

        // 11 s after the refresh: past 5 s + 5 s, long before Cache:Ttl + Cache:StaleTtl.
        time.Advance(TimeSpan.FromSeconds(11));
        var expired = await PostAsync(client, project, Running);
        Assert.Equal(("MISS", 3), (Status(expired), fixture.CallsFor(project)));
    }

    [Fact]
    public async Task A_page_across_a_refreshed_and_a_stale_block_is_still_cut_from_one_version_of_the_list()
    {
        const string project = "swr-one-version";
        var (gateway, time) = Start();
        await using var _ = gateway;
        using var client = Carol(gateway);

        // Items 95..104: the end of block 0 and the start of block 1.
        var head = await PostAsync(client, project, Settled, first: 95);
        var after = head.Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var before = await PostAsync(client, project, Settled, after: after);
        var oldTotal = Total(before);

        // The list moves; then block 0 alone goes stale and is refreshed in the background.
        fixture.Emulator.Control.InsertAtHead(project, 40);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("STALE", Status(await PostAsync(client, project, Settled)));
        await UntilRefreshedAsync(gateway, project, calls: 3);

        // Block 0 is the new version, block 1 the stale old one: not mixed, block 1 is fetched again.
        var page = await PostAsync(client, project, Settled, after: after);
        var truth = await UpstreamTruth.ListAllAsync(fixture.Emulator.BaseAddress, project, new Dictionary<string, string> { ["run_status"] = "SUCCESS" }, CacheFixture.CarolToken, "ws-swr");
        var anchor = truth.Items.FindIndex(item => item.Id == Nodes(head)[^1]);
        Assert.True(Total(page) > oldTotal, "the list grew");
        Assert.Equal(("REFRESH", truth.Count), (Status(page), Total(page)));
        Assert.Equal(truth.Items.Skip(anchor + 1).Take(10).Select(item => item.Id), Nodes(page));
        Assert.Equal(Nodes(before), Nodes(page));
    }

    private (GatewayServer Gateway, FakeTimeProvider Time) Start(Dictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Redis:Configuration"] = fixture.Redis.Configuration };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var gateway = new GatewayServer(fixture.Emulator.BaseAddress, all, builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(time)));
        return (gateway, time);
    }

    private static GraphQLClient Carol(GatewayServer gateway) => new(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-swr");

    private static BlockRevalidation Revalidation(GatewayServer gateway) => gateway.Services.GetRequiredService<BlockRevalidation>();

    private static async Task<GraphQLResponse> PostAsync(GraphQLClient client, string project, object where, int first = 10, string? after = null, bool noCache = false)
    {
        var answer = await client.PostAsync(Page, new { p = project, first, after, where }, request =>
        {
            request.Headers.Add("X-Cache-Info", "1");
            if (noCache)
            {
                request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true };
            }
        });
        Assert.True(answer.Errors is null, answer.ToString());
        return answer;
    }

    private async Task UntilRefreshedAsync(GatewayServer gateway, string project, int calls) =>
        await Eventually.UntilAsync(
            () => Task.FromResult(Revalidation(gateway).Running == 0 && fixture.CallsFor(project) == calls),
            TimeSpan.FromSeconds(30),
            $"the background refresh did not complete with {calls} upstream calls for {project}");

    private static JsonNode Report(GraphQLResponse answer) => answer.Json["extensions"]!["cache"]!["qualityTaskInstances"]!;

    private static string Status(GraphQLResponse answer) => Report(answer)["status"]!.GetValue<string>();

    private static long Age(GraphQLResponse answer) => Report(answer)["ageMs"]!.GetValue<long>();

    private static int Total(GraphQLResponse answer) => answer.Data["qualityTaskInstances"]!["totalCount"]!.GetValue<int>();

    private static string[] Nodes(GraphQLResponse answer) =>
        [.. answer.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Select(node => node!["id"]!.ToJsonString().Trim('"'))];
}
