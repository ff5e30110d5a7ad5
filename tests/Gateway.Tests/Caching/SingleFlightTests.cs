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
    public async Task The_holder_answers_before_publishing_and_keeps_its_claim_until_the_block_is_published()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        // A caller of its own: the budget and the pending count are per caller.
        var caller = $"publish-test-{Guid.NewGuid():N}";
        var key = $"qg1:blk:{{{caller}}}:0";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var claimedWhileFetching = false;
        bool? permitTakenByClaim = null;
        var publishing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var block = await singleFlight.RunAsync(
            key,
            caller,
            async (permitTaken, _) =>
            {
                permitTakenByClaim = permitTaken;
                claimedWhileFetching = await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight");
                return Fetched;
            },
            _ => throw new InvalidOperationException("The holder never reads another replica's copy."),
            async _ =>
            {
                publishing.SetResult();
                await published.Task;
            },
            refresh: false,
            CancellationToken.None);

        // Answered while the publish is still under way, and the claim still held for it.
        Assert.Same(Fetched, block);
        Assert.True(claimedWhileFetching, "the claim must be in Redis while the holder fetches");
        Assert.True(permitTakenByClaim, "the claim's round trip takes the caller's budget permit too");
        Assert.Equal(1, await redis.GetDatabase().SortedSetLengthAsync($"{Prefix}qg1:budget:{{{caller}}}"));
        await publishing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"), "the claim must be held until the block is published");
        Assert.Equal(1, (long)await redis.GetDatabase().StringGetAsync($"{Prefix}qg1:pending:{{{caller}}}"));

        // Released, and the publish no longer pending, as soon as the publish completes.
        published.SetResult();
        await Eventually.UntilAsync(async () => !await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"), TimeSpan.FromSeconds(5), "the claim was not released after the publish");
        Assert.Equal(0, (long)await redis.GetDatabase().StringGetAsync($"{Prefix}qg1:pending:{{{caller}}}"));
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
                // Real time on purpose: the lease runs out on Redis's clock, which no test steers.
                for (var i = 0; i < 8; i++)
                {
                    await Task.Delay(lease / 2);
                    looks.Add(await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"));
                }

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

    // Shaped like the gateway's block keys: the caller is the hash tag.
    private static string UniqueKey() => $"qg1:blk:{{{Caller}}}:{Guid.NewGuid():N}";
}
