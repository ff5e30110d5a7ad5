using Microsoft.Extensions.Caching.Distributed;

namespace Gateway.Redis;

/// <summary>
/// HybridCache's Redis level, with every command sent through the <see cref="RedisGate"/>: Redis
/// trouble is a degradation, never an outage. A read that Redis cannot answer in time is a
/// miss, a write that fails is a no-op, and while Redis is left alone neither is even sent.
/// </summary>
public sealed class GatedDistributedCache(IDistributedCache redis, RedisGate gate) : IDistributedCache
{
    // HybridCache only uses the async members; the synchronous ones call Redis's synchronous
    // API (bounded by its SyncTimeout) rather than blocking on the async one.
    /// <inheritdoc />
    public byte[]? Get(string key) => gate.Run("get", () => redis.Get(key)).Value;

    /// <inheritdoc />
    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default) =>
        (await gate.RunAsync(RedisTraffic.Cache, "get", _ => redis.GetAsync(key, token), token)).Value;

    /// <inheritdoc />
    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => gate.Run("set", () => Done(() => redis.Set(key, value, options)));

    /// <inheritdoc />
    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        gate.RunAsync(RedisTraffic.Cache, "set", _ => redis.SetAsync(key, value, options, token), token);

    /// <inheritdoc />
    public void Refresh(string key) => gate.Run("refresh", () => Done(() => redis.Refresh(key)));

    /// <inheritdoc />
    public Task RefreshAsync(string key, CancellationToken token = default) =>
        gate.RunAsync(RedisTraffic.Cache, "refresh", _ => redis.RefreshAsync(key, token), token);

    /// <inheritdoc />
    public void Remove(string key) => gate.Run("remove", () => Done(() => redis.Remove(key)));

    /// <inheritdoc />
    public Task RemoveAsync(string key, CancellationToken token = default) =>
        gate.RunAsync(RedisTraffic.Cache, "remove", _ => redis.RemoveAsync(key, token), token);

    private static bool Done(Action action)
    {
        action();
        return true;
    }
}
