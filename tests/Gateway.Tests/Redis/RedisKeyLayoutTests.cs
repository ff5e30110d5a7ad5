using Gateway.Caching;
using Gateway.Redis;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

/// <summary>
/// The single-flight claim script checks for a published block by the Redis key it expects
/// HybridCache and Microsoft.Extensions.Caching.StackExchangeRedis to write: Redis:InstanceName
/// followed by the cache key, as a hash. That layout is the library's, not ours, so it is pinned
/// here: an upgrade that changes it fails this test instead of silently turning every waiting
/// replica into one more upstream call.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class RedisKeyLayoutTests(CacheFixture fixture)
{
    [Fact]
    public async Task A_published_block_is_a_hash_at_the_instance_name_plus_its_key()
    {
        await using var gateway = fixture.Gateway();
        var key = $"qg1:blk:{{layout-test:{Guid.NewGuid():N}}}";
        var block = new InstanceBlock(1, DateTimeOffset.UnixEpoch, []);

        await gateway.Services.GetRequiredService<HybridCache>().SetAsync(key, block);

        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var expected = new RedisKey(new RedisOptions().InstanceName + key);
        Assert.Equal(RedisType.Hash, await redis.GetDatabase().KeyTypeAsync(expected));
        Assert.True(await redis.GetDatabase().HashExistsAsync(expected, "data"), "the entry has no 'data' field");
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
        RedisKey[] callerKeys = [keys.CacheEntry(block), keys.Claim(block), keys.Budget(caller), keys.Entities(caller), keys.PendingPublishes(caller)];
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
