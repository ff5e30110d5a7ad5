using System.Net;
using Gateway.Caching;
using Gateway.Redis;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Caching;

/// <summary>The two-level block cache against a real redis-server, counting calls at the emulator.</summary>
[Collection(CacheCollection.Name)]
public sealed class RedisCacheTests(CacheFixture fixture)
{
    private const string Page = "query($p: String, $first: Int, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } nodes { id name runStatus } } }";
    private const string LastPage = "query($p: String, $last: Int, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, last: $last, where: $where) { totalCount nodes { id } } }";

    private static GraphQLClient Alice(GatewayServer gateway) => new(gateway.GraphQLEndpoint, CacheFixture.AliceToken, CacheFixture.AliceWorkspace);

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

        // Written before the page was answered: no waiting.
        Assert.True(await fixture.Redis.BlockKeyCountAsync() > keys, "the fetched block was not in Redis when its page was answered");
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

            var firstCalls = await CallsDuringAsync(project, async () => firsts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostAsync(Page, firstPage))));
            var lastCalls = await CallsDuringAsync(project, async () => lasts = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.PostAsync(LastPage, lastPage))));

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
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:Ttl"] = "00:00:02", ["Cache:VolatileTtl"] = "00:00:02", ["Cache:LocalTtl"] = "00:00:02", ["Cache:StaleTtl"] = "00:00:00" });
        using var client = Alice(gateway);
        var where = new { runStatus = new { eq = "FAILED" } };

        var calls = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where }));
        var cached = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where }));
        // A sleep on purpose: the expiry runs on Redis's clock (and MemoryCache's for the in-process copy), which no test can steer.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where }));

        Assert.Equal((1, 0, 1), (calls, cached, expired));
    }

    [Fact]
    public async Task Blocks_with_running_instances_go_stale_after_the_volatile_ttl_and_others_do_not()
    {
        const string project = "alice-project";
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:Ttl"] = "00:01:00", ["Cache:VolatileTtl"] = "00:00:02", ["Cache:StaleTtl"] = "00:00:00" });
        using var client = Alice(gateway);
        var running = new { runStatus = new { eq = "RUNNING" } };
        var failed = new { runStatus = new { eq = "ALARMING" } };

        await client.PostAsync(Page, new { p = project, first = 5, where = running });
        await client.PostAsync(Page, new { p = project, first = 5, where = failed });
        var runningCached = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = running }));
        // A sleep on purpose: the expiry runs on Redis's clock (and MemoryCache's for the in-process copy), which no test can steer.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var runningStale = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = running }));
        var failedStillFresh = await CallsDuringAsync(project, () => client.PostAsync(Page, new { p = project, first = 5, where = failed }));

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
        var refreshCalls = await CallsDuringAsync(project, async () => refreshed = await client.PostAsync(Page, new { p = project, first = 10, where }, request =>
        {
            CacheInfo(request);
            request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        }));
        GraphQLResponse? cached = null;
        var afterwards = await CallsDuringAsync(project, async () => cached = await client.PostAsync(Page, new { p = project, first = 10, where }, CacheInfo));

        Assert.Equal((1, 0), (refreshCalls, afterwards));
        Assert.Equal("REFRESH", refreshed!.Json["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>());
        Assert.Equal("HIT", cached!.Json["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redis_that_is_down_at_start_up_costs_nothing_but_the_cache()
    {
        const string project = "alice-project";
        await using var gateway = fixture.Gateway(redisConfiguration: $"127.0.0.1:{RedisServer.FreePort()}");
        using var client = Alice(gateway);
        using var http = new HttpClient();

        var responses = new List<GraphQLResponse>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await client.PostAsync(Page, new { p = project, first = 3, where = new { name = new { eq = "rule-completeness" } } }));
        }

        Assert.All(responses, response => Assert.True(response.Errors is null, response.ToString()));
        using var ready = await http.GetAsync(new Uri(gateway.BaseAddress, "/health/ready"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_stalled_redis_only_costs_its_timeout()
    {
        await using var gateway = fixture.Gateway();
        using var client = Alice(gateway);
        await client.PostAsync(Page, new { p = "alice-project", first = 1 });

        await fixture.Redis.SignalAsync(pause: true);
        var responses = new List<(GraphQLResponse Response, TimeSpan Took)>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var response = await client.PostAsync(Page, new { p = "alice-project", first = 2, where = new { name = new { eq = $"stalled-{i}" } } });
                responses.Add((response, System.Diagnostics.Stopwatch.GetElapsedTime(started)));
            }
        }
        finally
        {
            await fixture.Redis.SignalAsync(pause: false);
        }

        // Not a speed test: the bound is the documented cost of a stalled Redis (a cache read
        // gives up after Redis:OperationTimeout, a coordination command after
        // Redis:CoordinationTimeout, at most one each of claim and budget), plus generous room
        // for this shared machine. A Redis wait without a timeout would blow it by far.
        var redis = gateway.Services.GetRequiredService<IOptions<RedisOptions>>().Value;
        var bound = redis.OperationTimeout + (2 * redis.CoordinationTimeout) + TimeSpan.FromSeconds(3);
        Assert.All(responses, answer => Assert.True(answer.Response.Errors is null, answer.Response.ToString()));
        Assert.All(responses, answer => Assert.True(answer.Took < bound, $"a request took {answer.Took} with Redis stalled (bound {bound})"));
    }

    [Fact]
    public async Task Killing_redis_mid_run_fails_no_request_and_caching_resumes_when_it_is_back()
    {
        await using var first = fixture.Gateway();
        await using var second = fixture.Gateway();
        using var client = Alice(first);
        using var http = new HttpClient();
        var since = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);

        // A steady run of cold requests (each a distinct filter, so each reads and writes
        // Redis), with Redis killed in the middle of it.
        var failures = new List<string>();
        var run = Task.Run(async () =>
        {
            for (var i = 0; i < 120; i++)
            {
                var project = i % 2 == 0 ? "alice-project" : "common-project";
                var where = new { startTime = new { gte = since.AddMinutes(i).ToString("O", System.Globalization.CultureInfo.InvariantCulture) } };
                var response = await client.PostAsync(Page, new { p = project, first = 10, where });
                if (response.Status != HttpStatusCode.OK || response.Errors is not null)
                {
                    failures.Add(response.ToString());
                }

                await Task.Delay(10);
            }
        });
        // Pacing, not waiting: Redis dies while the run is under way.
        await Task.Delay(300);
        await fixture.Redis.KillAsync();
        await run;

        Assert.Empty(failures);
        using (var degraded = await http.GetAsync(new Uri(first.BaseAddress, "/health/ready")))
        {
            Assert.Equal("Degraded", await degraded.Content.ReadAsStringAsync());
        }

        await fixture.Redis.RestartAsync();
        await WaitUntilReadyAsync(http, first);
        await WaitUntilReadyAsync(http, second);

        // Warmed through the first gateway, read through the second: only Redis connects them.
        var page = new { p = "common-project", first = 7, where = new { notifyStatus = new { eq = "NOT_TRIGGERED" } } };
        var keys = await fixture.Redis.BlockKeyCountAsync();
        var warm = await client.PostAsync(Page, page);
        Assert.True(await fixture.Redis.BlockKeyCountAsync() > keys, "the fetched block was not in Redis when its page was answered");
        using var viaSecond = Alice(second);
        var calls = await CallsDuringAsync("common-project", () => viaSecond.PostAsync(Page, page));

        Assert.True(warm.Errors is null, warm.ToString());
        Assert.Equal(0, calls);
    }

    private static Task WaitUntilReadyAsync(HttpClient http, GatewayServer gateway) =>
        Eventually.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri(gateway.BaseAddress, "/health/ready"));
                return await response.Content.ReadAsStringAsync() == "Healthy";
            },
            TimeSpan.FromSeconds(10),
            "the gateway did not report Redis as healthy again");

    private async Task<int> CallsDuringAsync(string project, Func<Task> action)
    {
        var before = fixture.CallsFor(project);
        await action();
        return fixture.CallsFor(project) - before;
    }
}
