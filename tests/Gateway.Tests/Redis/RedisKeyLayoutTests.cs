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
}
