using System.Buffers;
using Gateway.Caching;
using Gateway.Redis;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

/// <summary>
/// The layout of what the gateway keeps in Redis, as docs/cache.md describes it: a block is a
/// string at Redis:InstanceName plus its cache key, in the gateway's own stored form, expiring
/// when it may no longer be served; and every key of one caller shares one cluster slot.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class RedisKeyLayoutTests(CacheFixture fixture)
{
    [Fact]
    public async Task A_published_block_is_a_string_at_the_instance_name_plus_its_key_that_expires_with_the_block()
    {
        await using var gateway = fixture.Gateway();
        var key = $"qg1:block:{{layout-test:{Guid.NewGuid():N}}}:p1:0:100:0";
        var block = new InstanceBlock(7, DateTimeOffset.UtcNow, []);

        await gateway.Services.GetRequiredService<RedisBlockStore>().WriteAsync(key, block, CancellationToken.None);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var database = redis.GetDatabase();
        var expected = new RedisKey(new RedisOptions().InstanceName + key);
        Assert.Equal(RedisType.String, await database.KeyTypeAsync(expected));
        var stored = (byte[])(await database.StringGetAsync(expected))!;
        Assert.Equal(7, new InstanceBlockSerializer().Deserialize(new ReadOnlySequence<byte>(stored)).Count);

        // Served fresh for Cache:Ttl, then stale for Cache:StaleTtl: kept no longer than both.
        var options = new CacheOptions();
        var ttl = await database.KeyTimeToLiveAsync(expected);
        Assert.InRange(ttl!.Value, options.Ttl, options.Ttl + options.StaleTtl);
    }

    [Fact]
    public async Task A_block_with_an_unfinished_run_leaves_redis_once_its_short_bounds_have_passed()
    {
        await using var gateway = fixture.Gateway();
        var key = $"qg1:block:{{layout-test:{Guid.NewGuid():N}}}:p1:0:100:0";
        var running = new QualityTaskInstance(1, "rule", 2, QualityTaskType.QualityTask, QualityRunStatus.Running, QualityNotifyStatus.NotTriggered, DateTimeOffset.UtcNow, null);

        await gateway.Services.GetRequiredService<RedisBlockStore>().WriteAsync(key, new InstanceBlock(1, DateTimeOffset.UtcNow, [running]), CancellationToken.None);

        // Not kept for Cache:Ttl plus Cache:StaleTtl: the replica asked after its bounds claims
        // the fetch instead of reading a copy it could only throw away.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var options = new CacheOptions();
        var ttl = await redis.GetDatabase().KeyTimeToLiveAsync(new RedisKey(new RedisOptions().InstanceName + key));
        Assert.InRange(ttl!.Value, TimeSpan.FromMilliseconds(1), options.VolatileTtl + options.VolatileStaleTtl);
    }

    [Fact]
    public async Task Every_key_of_one_caller_has_the_caller_as_its_cluster_hash_tag()
    {
        await using var gateway = fixture.Gateway();
        var keys = gateway.Services.GetRequiredService<RedisKeys>();
        var caller = new UpstreamCredentials("token-0123456789", "ws").CallerKey;
        var block = CacheKeys.Block(caller, new InstanceListScope("p1", new InstanceFilter(Name: "rule")), InstanceBlock.Size, 3);

        // The cold-block script touches all of these in one call, which Redis Cluster allows
        // only within one slot: keys with one hash tag share a slot, and callers spread.
        RedisKey[] callerKeys = [keys.SharedBlock(block), keys.Claim(block), keys.Budget(caller), keys.Entities(caller), keys.PendingPublishes(caller)];
        Assert.All(callerKeys, key => Assert.Equal(caller, HashTag(key.ToString())));
    }

    /// <summary>What Redis Cluster hashes: the text between the first '{' and the next '}', when that is not empty; else the whole key.</summary>
    private static string HashTag(string key)
    {
        var open = key.IndexOf('{', StringComparison.Ordinal);
        var close = open < 0 ? -1 : key.IndexOf('}', open + 1);
        return close > open + 1 ? key[(open + 1)..close] : key;
    }
}
