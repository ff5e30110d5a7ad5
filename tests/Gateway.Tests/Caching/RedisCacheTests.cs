using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Caching;

/// <summary>The two-level block cache against a real redis-server, counting calls at the emulator.</summary>
[Collection(CacheCollection.Name)]
public sealed class RedisCacheTests(CacheFixture fixture)
{
    internal const string Page = "query($p: String, $first: Int, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } nodes { id name runStatus } } }";
    private const string LastPage = "query($p: String, $last: Int, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, last: $last, where: $where) { totalCount nodes { id } } }";

    internal static GraphQLClient Alice(GatewayServer gateway) => new(gateway.GraphQLEndpoint, CacheFixture.AliceToken, CacheFixture.AliceWorkspace);

    private static GraphQLClient Bob(GatewayServer gateway) => new(gateway.GraphQLEndpoint, CacheFixture.BobToken, CacheFixture.BobWorkspace);

    [Fact]
    public async Task A_second_gateway_on_the_same_redis_answers_without_calling_the_upstream()
    {
        const string project = "alice-project";
        await using var first = fixture.Gateway();
        await using var second = fixture.Gateway();
        using var viaFirst = Alice(first);
        using var viaSecond = Alice(second);
        var where = new { runStatus = new { eq = "SUCCESS" } };

        var keys = await fixture.Redis.BlockKeyCountAsync();
        var warm = await viaFirst.PostAsync(Page, new { p = project, first = 10, where });

        // Published right after the answer, still under the claim (a replica asked meanwhile
        // waits on the claim, never the upstream), so looked for, bounded.
        await Eventually.UntilAsync(async () => await fixture.Redis.BlockKeyCountAsync() > keys, TimeSpan.FromSeconds(10), "the fetched block never reached Redis");
        var calls = fixture.CallsFor(project);
        var shared = await viaSecond.PostAsync(Page, new { p = project, first = 10, where });

        Assert.True(warm.Errors is null, warm.ToString());
        Assert.Equal(warm.Body, shared.Body);
        Assert.Equal(calls, fixture.CallsFor(project));
    }

    [Fact]
    public async Task Fifty_concurrent_identical_cold_requests_make_one_upstream_call_per_block()
    {
        const string project = "alice-project";
        await using var gateway = fixture.Gateway();
        using var client = Alice(gateway);
        fixture.Emulator.Control.LatencyMilliseconds = 200;
        try
        {
            // first: 10 needs block 0. last: 10 needs block 0 (for the total) and the tail's block.
            var firstPage = new { p = project, first = 10, where = new { taskType = new { eq = "CONSISTENCY_TASK" } } };
            var lastPage = new { p = project, last = 10, where = new { taskType = new { eq = "QUALITY_TASK" } } };
            GraphQLResponse[] firsts = [], lasts = [];

            var firstCalls = await fixture.CallsDuringAsync(project, async () => firsts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostAsync(Page, firstPage))));
            var lastCalls = await fixture.CallsDuringAsync(project, async () => lasts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostAsync(LastPage, lastPage))));

            Assert.All(firsts.Concat(lasts), response => Assert.True(response.Errors is null, response.ToString()));
            Assert.Single(firsts.Select(response => response.Body).Distinct());
            Assert.Single(lasts.Select(response => response.Body).Distinct());
            var total = lasts[0].Data["qualityTaskInstances"]!["totalCount"]!.GetValue<int>();
            Assert.True(total > 100, "the tail must lie beyond block 0");
            var tailBlocks = Enumerable.Range((total - 10) / 100, ((total - 1) / 100) - ((total - 10) / 100) + 1);
            Assert.Equal((1, 1 + tailBlocks.Count()), (firstCalls, lastCalls));
        }
        finally
        {
            fixture.Emulator.Control.LatencyMilliseconds = 0;
        }
    }

    [Fact]
    public async Task Paging_ten_at_a_time_through_300_items_makes_three_upstream_calls()
    {
        // A project and token no other test touches: the count starts from a cold cache.
        const string project = "paging-300";
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:Ttl"] = "00:05:00", ["Cache:VolatileTtl"] = "00:05:00" });
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-carol");
        var before = fixture.CallsFor(project);
        var seen = new List<string>();
        string? after = null;

        for (var page = 0; page < 30; page++)
        {
            var response = await client.PostAsync(Page, new { p = project, first = 10, after });
            Assert.True(response.Errors is null, response.ToString());
            var connection = response.Data["qualityTaskInstances"]!;
            seen.AddRange(connection["nodes"]!.AsArray().Select(node => node!["id"]!.GetValue<string>()));
            after = connection["pageInfo"]!["endCursor"]!.GetValue<string>();
            Assert.Equal(page < 29, connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        }

        Assert.Equal(300, seen.Distinct().Count());
        Assert.Equal(3, fixture.CallsFor(project) - before);
    }

    [Fact]
    public async Task Each_token_sees_only_its_own_data_even_from_a_warm_cache_and_redis_holds_no_token()
    {
        await using var gateway = fixture.Gateway();
        using var alice = Alice(gateway);
        using var bob = Bob(gateway);
        using var aliceInBobsWorkspace = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.AliceToken, CacheFixture.BobWorkspace);

        var alicesPage = await alice.PostAsync(Page, new { p = "common-project", first = 10 });
        var bobOnAlicesProject = await bob.PostAsync(Page, new { p = "common-project", first = 10 });
        var bobsPage = await bob.PostAsync(Page, new { p = "bob-project", first = 10 });
        var aliceOnBobsProject = await alice.PostAsync(Page, new { p = "bob-project", first = 10 });
        var aliceInTheWrongWorkspace = await aliceInBobsWorkspace.PostAsync(Page, new { p = "common-project", first = 10 });

        Assert.True(alicesPage.Errors is null, alicesPage.ToString());
        Assert.True(bobsPage.Errors is null, bobsPage.ToString());
        Assert.Equal(["UPSTREAM_FORBIDDEN"], bobOnAlicesProject.ErrorCodes);
        Assert.Equal(["UPSTREAM_FORBIDDEN"], aliceOnBobsProject.ErrorCodes);
        Assert.Equal(["UPSTREAM_FORBIDDEN"], aliceInTheWrongWorkspace.ErrorCodes);

        var entries = await fixture.Redis.DumpAsync();
        Assert.NotEmpty(entries);
        foreach (var (key, value) in entries)
        {
            foreach (var token in new[] { CacheFixture.AliceToken, CacheFixture.BobToken })
            {
                Assert.DoesNotContain(token, key, StringComparison.Ordinal);
                Assert.DoesNotContain(token, value, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Blocks_expire_after_the_ttl()
    {
        const string project = "alice-project";
        var ttl = TimeSpan.FromSeconds(1);
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:Ttl"] = ttl.ToString(), ["Cache:VolatileTtl"] = ttl.ToString(), ["Cache:LocalTtl"] = ttl.ToString(), ["Cache:StaleTtl"] = "00:00:00" });
        using var client = Alice(gateway);
        var where = new { runStatus = new { eq = "FAILED" } };

        var warmed = System.Diagnostics.Stopwatch.GetTimestamp();
        var calls = await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where }));
        var cached = await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where }));

        // The expiry runs on Redis's clock (and MemoryCache's for the in-process copy), which no
        // test can steer: asked again until the upstream is called, never before the TTL is over.
        var expired = await Eventually.HoldsAsync(async () => await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where })) == 1, TimeSpan.FromSeconds(10));
        var lived = System.Diagnostics.Stopwatch.GetElapsedTime(warmed);

        Assert.Equal((1, 0, true), (calls, cached, expired));
        Assert.True(lived >= ttl, $"the block was fetched again after {lived}, before its TTL of {ttl}");
    }

    [Fact]
    public async Task Blocks_with_running_instances_go_stale_after_the_volatile_ttl_and_others_do_not()
    {
        const string project = "alice-project";
        // Staleness is judged on the gateway's TimeProvider (the entries themselves live a minute
        // in Redis and in memory): steered here, to short of the volatile TTL and past it.
        // Response reuse is off: its copies expire on MemoryCache's real clock, not this one.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:Ttl"] = "00:01:00", ["Cache:LocalTtl"] = "00:01:00", ["Cache:VolatileTtl"] = "00:00:10", ["Http:ResponseTtl"] = "00:00:00", ["Cache:StaleTtl"] = "00:00:00" }, time: time);
        using var client = Alice(gateway);
        var running = new { runStatus = new { eq = "RUNNING" } };
        var failed = new { runStatus = new { eq = "ALARMING" } };

        await client.PostAsync(Page, new { p = project, first = 5, where = running });
        await client.PostAsync(Page, new { p = project, first = 5, where = failed });

        // The upstream client stamps a block's fetch time with the real clock, so the steered one
        // is first brought to the real now; the margins (5 s short of the volatile TTL, then
        // past it) hold however long a loaded machine took between the fetch and here.
        time.SetUtcNow(DateTimeOffset.UtcNow);
        time.Advance(TimeSpan.FromSeconds(5));
        var runningCached = await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = running }));
        time.Advance(TimeSpan.FromSeconds(5.5));
        var runningStale = await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = running }));
        var failedStillFresh = await fixture.CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = failed }));

        Assert.Equal((0, 1, 0), (runningCached, runningStale, failedStillFresh));
    }

    [Fact]
    public async Task Cache_control_no_cache_makes_exactly_one_new_upstream_call_and_refreshes_the_entry()
    {
        const string project = "alice-project";
        await using var gateway = fixture.Gateway();
        using var client = Alice(gateway);
        var where = new { notifyStatus = new { eq = "FAILED" } };
        static void CacheInfo(HttpRequestMessage request) => request.Headers.Add("X-Cache-Info", "1");

        await client.PostAsync(Page, new { p = project, first = 10, where });
        GraphQLResponse? refreshed = null;
        var refreshCalls = await fixture.CallsDuringAsync(project, async () => refreshed = await client.PostAsync(Page, new { p = project, first = 10, where }, request =>
        {
            CacheInfo(request);
            request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        }));
        GraphQLResponse? cached = null;
        var afterwards = await fixture.CallsDuringAsync(project, async () => cached = await client.PostAsync(Page, new { p = project, first = 10, where }, CacheInfo));

        Assert.Equal((1, 0), (refreshCalls, afterwards));
        Assert.Equal("REFRESH", refreshed!.Json["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>());
        Assert.Equal("HIT", cached!.Json["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>());
    }
}
