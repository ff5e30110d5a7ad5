using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Tests.Caching;

/// <summary>
/// The cross-replica claim on a cold block, driven directly against the real redis-server: what
/// the three-replica tests cannot time, such as a block published between a replica's lookup
/// and its claim, or a claim held by a replica that is still fetching.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class SingleFlightTests(CacheFixture fixture)
{
    // The gateway's default Redis:InstanceName, which prefixes every key it writes.
    private const string Prefix = "quality-gateway:";

    private const string Caller = "single-flight-test";

    private static readonly InstanceBlock Fetched = new(1, DateTimeOffset.UnixEpoch, []);
    // What another replica published: told apart from Fetched by its count, and dated now,
    // because a block is kept in Redis only while it may still be served.
    private const int SharedCount = 2;

    [Fact]
    public async Task A_published_block_comes_back_from_the_claims_round_trip_not_fetched_and_leaves_no_claim()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await gateway.Services.GetRequiredService<RedisBlockStore>().WriteAsync(key, SharedBlock(), CancellationToken.None);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var fetches = 0;

        var block = await singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => { fetches++; return ValueTask.FromResult(Fetched); },
            NoPublish,
            refresh: false,
            CancellationToken.None);

        Assert.Equal(SharedCount, block.Count);
        Assert.Equal(0, fetches);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"));
    }

    [Fact]
    public async Task A_block_in_redis_that_cannot_be_read_is_fetched_at_once_not_waited_for_and_replaced()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await redis.GetDatabase().StringSetAsync(Prefix + key, "written by another version, or damaged");
        InstanceBlock? published = null;

        var block = await singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => ValueTask.FromResult(Fetched),
            fetched => { published = fetched; return Task.CompletedTask; },
            refresh: false,
            CancellationToken.None);

        Assert.Same(Fetched, block);
        await Eventually.UntilAsync(() => Task.FromResult(published is not null), TimeSpan.FromSeconds(5), "the fetched block was not published in place of the unreadable one");
        Assert.Same(Fetched, published);
    }

    [Fact]
    public async Task A_claim_held_elsewhere_makes_this_replica_wait_for_the_published_block()
    {
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:SingleFlight:PollInterval"] = "00:00:00.010" });
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var database = redis.GetDatabase();
        await database.StringSetAsync(Prefix + key + ":flight", "another replica", TimeSpan.FromSeconds(15));
        var fetches = 0;

        var waiting = singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => { fetches++; return ValueTask.FromResult(Fetched); },
            NoPublish,
            refresh: false,
            CancellationToken.None).AsTask();

        // Twenty poll intervals on Redis's clock with the claim held and nothing published:
        // the waiter is still waiting, and has not fetched.
        var started = await RedisNowAsync(database);
        await Eventually.UntilAsync(async () => await RedisNowAsync(database) - started >= TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), "Redis's clock did not pass 200 ms");
        Assert.False(waiting.IsCompleted, "the waiter stopped waiting while the claim was held");

        // The holder publishes: the waiter's next round trip returns the block.
        await gateway.Services.GetRequiredService<RedisBlockStore>().WriteAsync(key, SharedBlock(), CancellationToken.None);
        var block = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(SharedCount, block.Count);
        Assert.Equal(0, fetches);
    }

    [Fact]
    public async Task The_holder_keeps_its_claim_alive_while_it_fetches_for_longer_than_the_lease()
    {
        // Wide margins (renewal every sixth of the lease, so a stall of over a second is
        // survived): on two shared cores, under the whole suite, a renewal can be that late.
        var lease = TimeSpan.FromMilliseconds(1500);
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:SingleFlight:Lease"] = lease.ToString(), ["Cache:SingleFlight:RenewInterval"] = "00:00:00.250" });
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var looks = new List<bool>();

        await singleFlight.RunAsync(
            key,
            Caller,
            async (_, _) =>
            {
                // A fetch as slow as three leases: without renewal the claim would expire under it.
                // The lease runs out on Redis's clock, which no test steers, so the fetch lasts
                // until Redis's own TIME says three leases have passed, looking at the claim all along.
                var database = redis.GetDatabase();
                var started = await RedisNowAsync(database);
                await Eventually.UntilAsync(
                    async () =>
                    {
                        looks.Add(await database.KeyExistsAsync(Prefix + key + ":flight"));
                        return await RedisNowAsync(database) - started >= lease * 3;
                    },
                    TimeSpan.FromSeconds(30),
                    "Redis's clock did not pass three leases");

                return Fetched;
            },
            NoPublish,
            refresh: false,
            CancellationToken.None);

        Assert.All(looks, Assert.True);
    }

    [Fact]
    public async Task A_claim_its_holder_stopped_renewing_is_taken_over_when_its_lease_runs_out()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);

        // What a replica killed mid-fetch leaves behind: a claim that nobody renews.
        await redis.GetDatabase().StringSetAsync(Prefix + key + ":flight", "a dead replica", TimeSpan.FromMilliseconds(300));
        var (block, claimWhileFetching) = await FetchNothingPublishedAsync(singleFlight, redis, key);

        // Fetched under its own claim: it took the block over, it did not give up waiting.
        Assert.Same(Fetched, block);
        Assert.NotNull(claimWhileFetching);
        Assert.NotEqual("a dead replica", claimWhileFetching);
    }

    [Fact]
    public async Task A_waiter_whose_live_holder_never_publishes_fetches_itself_after_max_wait()
    {
        await using var gateway = fixture.Gateway(new Dictionary<string, string?>
        {
            ["Cache:SingleFlight:MaxWait"] = "00:00:00.500",

            // MaxWait must outlast a live holder's fetch.
            ["Upstream:Timeout"] = "00:00:00.100",
            ["Upstream:Deadline"] = "00:00:00.200",
            ["Upstream:Retry:MaxRetryAfter"] = "00:00:00.100",
            ["Upstream:Budget:MaxQueueWait"] = "00:00:00.100",
        });
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await redis.GetDatabase().StringSetAsync(Prefix + key + ":flight", "a live but stuck replica", TimeSpan.FromSeconds(30));
        var (block, claimWhileFetching) = await FetchNothingPublishedAsync(singleFlight, redis, key);

        Assert.Same(Fetched, block);
        Assert.Equal("a live but stuck replica", claimWhileFetching);
    }

    /// <summary>Runs the single-flight for a block nobody publishes, and says whose claim was in Redis while it fetched.</summary>
    private static async Task<(InstanceBlock Block, string? ClaimWhileFetching)> FetchNothingPublishedAsync(DistributedSingleFlight singleFlight, ConnectionMultiplexer redis, string key)
    {
        string? claimWhileFetching = null;
        var block = await singleFlight.RunAsync(
            key,
            Caller,
            async (_, _) =>
            {
                claimWhileFetching = await redis.GetDatabase().StringGetAsync(Prefix + key + ":flight");
                return Fetched;
            },
            NoPublish,
            refresh: false,
            CancellationToken.None);
        return (block, claimWhileFetching);
    }

    private static Task NoPublish(InstanceBlock block) => Task.CompletedTask;

    private static InstanceBlock SharedBlock() => new(SharedCount, DateTimeOffset.UtcNow, []);

    /// <summary>Redis's own clock (TIME), the one its key expiries run on.</summary>
    private static async Task<TimeSpan> RedisNowAsync(IDatabase database)
    {
        var time = (RedisValue[])(await database.ExecuteAsync("TIME"))!;
        return TimeSpan.FromSeconds((long)time[0]) + TimeSpan.FromMicroseconds((long)time[1]);
    }

    // Shaped like the gateway's block keys: the caller is the hash tag.
    private static string UniqueKey() => $"qg1:block:{{{Caller}}}:{Guid.NewGuid():N}";
}
