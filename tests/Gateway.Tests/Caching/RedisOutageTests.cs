using System.Net;
using Gateway.Caching;
using Gateway.Redis;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Caching;

/// <summary>Redis down at start-up, stalled, killed mid-run: requests never fail, only the cache is lost, and it comes back.</summary>
[Collection(CacheCollection.Name)]
public sealed class RedisOutageTests(CacheFixture fixture)
{
    [Fact]
    public async Task A_redis_that_is_down_at_start_up_costs_nothing_but_the_cache()
    {
        const string project = "alice-project";
        await using var gateway = fixture.Gateway(redisConfiguration: $"127.0.0.1:{RedisServer.FreePort()}");
        using var client = RedisCacheTests.Alice(gateway);
        using var http = new HttpClient();

        var responses = new List<GraphQLResponse>();
        for (var i = 0; i < 5; i++)
        {
            responses.Add(await client.PostAsync(RedisCacheTests.Page, new { p = project, first = 3, where = new { name = new { eq = "rule-completeness" } } }));
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
        using var client = RedisCacheTests.Alice(gateway);
        await client.PostAsync(RedisCacheTests.Page, new { p = "alice-project", first = 1 });

        await fixture.Redis.SignalAsync(pause: true);
        var responses = new List<(GraphQLResponse Response, TimeSpan Took)>();
        try
        {
            for (var i = 0; i < 10; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var response = await client.PostAsync(RedisCacheTests.Page, new { p = "alice-project", first = 2, where = new { name = new { eq = $"stalled-{i}" } } });
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
        using var client = RedisCacheTests.Alice(first);
        using var http = new HttpClient();
        var since = new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero);

        // A steady run of cold requests (each a distinct filter, so each reads and writes
        // Redis), with Redis killed in the middle of it: the run goes on for 40 requests after
        // the kill, so the kill always lands mid-run.
        var failures = new List<string>();
        int sent = 0, killedAt = -1;
        var run = Task.Run(async () =>
        {
            for (var i = 0; Volatile.Read(ref killedAt) is var killed && (killed < 0 || i < killed + 40); i = Interlocked.Increment(ref sent))
            {
                var project = i % 2 == 0 ? "alice-project" : "common-project";
                var where = new { startTime = new { gte = since.AddMinutes(i).ToString("O", System.Globalization.CultureInfo.InvariantCulture) } };
                var response = await client.PostAsync(RedisCacheTests.Page, new { p = project, first = 10, where });
                if (response.Status != HttpStatusCode.OK || response.Errors is not null)
                {
                    failures.Add(response.ToString());
                }
            }
        });
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref sent) >= 20), TimeSpan.FromSeconds(30), "the run did not get under way");
        await fixture.Redis.KillAsync();
        Volatile.Write(ref killedAt, Volatile.Read(ref sent));
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
        var warm = await client.PostAsync(RedisCacheTests.Page, page);

        // Published right after the answer (still under the claim), so looked for, bounded.
        await Eventually.UntilAsync(async () => await fixture.Redis.BlockKeyCountAsync() > keys, TimeSpan.FromSeconds(10), "the fetched block never reached Redis after Redis came back");
        using var viaSecond = RedisCacheTests.Alice(second);
        var calls = await fixture.CallsDuringAsync("common-project", () => viaSecond.PostAsync(RedisCacheTests.Page, page));

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
}
