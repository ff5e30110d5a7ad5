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
    private static readonly InstanceBlock Shared = new(2, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public async Task A_block_published_before_the_claim_is_read_not_fetched_and_leaves_no_claim()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await redis.GetDatabase().HashSetAsync(Prefix + key, "data", "published by another replica");
        var fetches = 0;

        var block = await singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => { fetches++; return ValueTask.FromResult(Fetched); },
            _ => ValueTask.FromResult<InstanceBlock?>(Shared),
            NoPublish,
            refresh: false,
            CancellationToken.None);

        Assert.Same(Shared, block);
        Assert.Equal(0, fetches);
        Assert.False(await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"));
    }

    [Fact]
    public async Task A_block_in_redis_that_cannot_be_read_is_fetched_at_once_not_waited_for()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await redis.GetDatabase().HashSetAsync(Prefix + key, "data", "unreadable, or the read timed out");
        var reads = 0;

        var block = await singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => ValueTask.FromResult(Fetched),
            _ => { reads++; return ValueTask.FromResult<InstanceBlock?>(null); },
            NoPublish,
            refresh: false,
            CancellationToken.None);

        Assert.Same(Fetched, block);
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task A_claim_held_elsewhere_makes_this_replica_wait_for_the_published_block()
    {
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:SingleFlight:PollInterval"] = "00:00:00.010" });
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        await redis.GetDatabase().StringSetAsync(Prefix + key + ":flight", "another replica", TimeSpan.FromSeconds(15));
        var fetches = 0;
        var reads = 0;

        // The other replica publishes on this replica's fourth look.
        var block = await singleFlight.RunAsync(
            key,
            Caller,
            (_, _) => { fetches++; return ValueTask.FromResult(Fetched); },
            _ => ValueTask.FromResult(++reads >= 4 ? Shared : null),
            NoPublish,
            refresh: false,
            CancellationToken.None);

        Assert.Same(Shared, block);
        Assert.Equal(0, fetches);
        Assert.Equal(4, reads);
    }

    [Fact]
    public async Task The_holder_keeps_its_claim_alive_while_it_fetches_for_longer_than_the_lease()
    {
        // Wide margins (renewal every quarter lease): on two shared cores a renewal can be late.
        var lease = TimeSpan.FromMilliseconds(800);
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:SingleFlight:Lease"] = lease.ToString(), ["Cache:SingleFlight:RenewInterval"] = "00:00:00.200" });
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        var key = UniqueKey();
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var looks = new List<bool>();

        await singleFlight.RunAsync(
            key,
            Caller,
            async (_, _) =>
            {
                // A fetch as slow as four leases: without renewal the claim would expire under it.
                // The lease runs out on Redis's clock, which no test steers, so the fetch lasts
                // until Redis's own TIME says four leases have passed, looking at the claim all along.
                var database = redis.GetDatabase();
                var started = await RedisNowAsync(database);
                await Eventually.UntilAsync(
                    async () =>
                    {
                        looks.Add(await database.KeyExistsAsync(Prefix + key + ":flight"));
                        return await RedisNowAsync(database) - started >= lease * 4;
                    },
                    TimeSpan.FromSeconds(30),
                    "Redis's clock did not pass four leases");

                return Fetched;
            },
            _ => throw new InvalidOperationException("The holder never reads another replica's copy."),
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
            _ => ValueTask.FromResult<InstanceBlock?>(null),
            NoPublish,
            refresh: false,
            CancellationToken.None);
        return (block, claimWhileFetching);
    }

    private static Task NoPublish(InstanceBlock block) => Task.CompletedTask;

    /// <summary>Redis's own clock (TIME), the one its key expiries run on.</summary>
    private static async Task<TimeSpan> RedisNowAsync(IDatabase database)
    {
        var time = (RedisValue[])(await database.ExecuteAsync("TIME"))!;
        return TimeSpan.FromSeconds((long)time[0]) + TimeSpan.FromMicroseconds((long)time[1]);
    }

    // Shaped like the gateway's block keys: the caller is the hash tag.
    private static string UniqueKey() => $"qg1:blk:{{{Caller}}}:{Guid.NewGuid():N}";
}
