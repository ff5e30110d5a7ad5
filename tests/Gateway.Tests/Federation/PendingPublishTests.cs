using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gateway.Tests.Federation;

/// <summary>
/// A cold block is answered before it reaches Redis. Until its replica has published it, an
/// entity lookup on another replica that finds nothing waits for the publish, on the gateway's
/// clock (steered here), rather than answering ENTITY_NOT_FOUND too early; and it waits no
/// longer than one single-flight lease.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class PendingPublishTests(CacheFixture fixture)
{
    // A Redis command that times out answers "not found" at once, by design (Redis away must
    // not hold requests up); under a loaded test machine the 250 ms default was seen to expire.
    // These tests are about the wait for a pending publish, so Redis gets ample time.
    private static readonly Dictionary<string, string?> PatientRedis = new() { ["Redis:OperationTimeout"] = "00:00:05" };

    private static readonly QualityTaskInstance Instance = new(9_007_199_254_740_993, "pending-rule", 42, QualityTaskType.QualityTask, QualityRunStatus.Failed, QualityNotifyStatus.Success, DateTimeOffset.UnixEpoch, null);

    [Fact]
    public async Task A_lookup_while_the_callers_publish_is_pending_finds_the_instance_once_it_lands()
    {
        await using var redis = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = fixture.Gateway(PatientRedis, redisConfiguration: redis.Configuration, time: time);
        var entities = gateway.Services.GetRequiredService<InstanceEntityCache>();
        var caller = new UpstreamCredentials("token-pending-0123456789", "ws").CallerKey;
        Assert.Null(await entities.FindAsync(caller, Instance.Id, CancellationToken.None));

        // Another replica claimed one of this caller's blocks and has not published it yet.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await connection.GetDatabase().StringSetAsync($"quality-gateway:qg1:pending:{{{caller}}}", 1, TimeSpan.FromSeconds(30));
        var scripts = await ScriptCallsAsync(redis);
        var lookup = entities.FindAsync(caller, Instance.Id, CancellationToken.None).AsTask();

        // Its first look has found nothing but the pending publish; then the block lands.
        await Eventually.UntilAsync(async () => await ScriptCallsAsync(redis) > scripts, TimeSpan.FromSeconds(10), "the lookup never asked Redis");
        Assert.False(lookup.IsCompleted, "a lookup must not answer 'not found' while the caller's publish is pending");
        await entities.PublishAsync(caller, [Instance], CancellationToken.None);
        await Eventually.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(25));
                return Task.FromResult(lookup.IsCompleted);
            },
            TimeSpan.FromSeconds(10),
            "the lookup never found the published instance");

        Assert.Equal(Instance, await lookup);
    }

    [Fact]
    public async Task A_publish_that_never_lands_holds_a_lookup_up_for_one_lease_at_most()
    {
        await using var redis = await RedisServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = fixture.Gateway(PatientRedis, redisConfiguration: redis.Configuration, time: time);
        var entities = gateway.Services.GetRequiredService<InstanceEntityCache>();
        var caller = new UpstreamCredentials("token-pending-9876543210", "ws").CallerKey;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        await connection.GetDatabase().StringSetAsync($"quality-gateway:qg1:pending:{{{caller}}}", 1, TimeSpan.FromSeconds(30));

        var lookup = entities.FindAsync(caller, Instance.Id, CancellationToken.None).AsTask();
        var steered = TimeSpan.Zero;
        await Eventually.UntilAsync(
            () =>
            {
                time.Advance(TimeSpan.FromMilliseconds(25));
                steered += TimeSpan.FromMilliseconds(25);
                return Task.FromResult(lookup.IsCompleted);
            },
            TimeSpan.FromSeconds(20),
            "the lookup never gave up on a publish that never landed");

        Assert.Null(await lookup);

        // Cache:SingleFlight:Lease (2 s) on the gateway's clock, give or take the steps taken
        // while the last poll was on its way.
        Assert.InRange(steered, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
    }

    private static async Task<long> ScriptCallsAsync(RedisServer redis)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration + ",allowAdmin=true");
        var stats = await connection.GetServer(redis.Configuration).InfoAsync("commandstats");
        return stats.SelectMany(group => group)
            .Where(pair => pair.Key is "cmdstat_evalsha" or "cmdstat_eval")
            .Sum(pair => long.Parse(pair.Value.Split(',')[0]["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
