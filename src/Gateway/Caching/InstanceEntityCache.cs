using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>
/// Instances by id, for federation's entity lookups. The upstream has no get-by-id call, so the
/// only instances the gateway can return by id are those it has just fetched in a block: each
/// is recorded here, private to the caller that fetched it and for as long as blocks live.
/// A lookup never reaches the upstream; what is not here is simply unknown.
/// </summary>
public sealed class InstanceEntityCache
{
    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _write;
    private readonly HybridCacheEntryOptions _lookup;

    public InstanceEntityCache(HybridCache cache, IOptions<CacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _write = new HybridCacheEntryOptions { Expiration = options.Value.Ttl, LocalCacheExpiration = options.Value.EffectiveLocalTtl };

        // Reads memory, then Redis, and stops there: with the underlying data disabled a miss
        // is a null that is not stored, never a factory call. A Redis hit is still copied to
        // memory (for no longer than it has left), as any other read.
        _lookup = new HybridCacheEntryOptions
        {
            Expiration = options.Value.Ttl,
            LocalCacheExpiration = options.Value.EffectiveLocalTtl,
            Flags = HybridCacheEntryFlags.DisableUnderlyingData,
        };
    }

    /// <summary>Records every item of a block this caller has just fetched from the upstream.</summary>
    public async Task RecordAsync(string callerScope, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);

        // Written together, not one after another: with Redis each write is a round trip, and
        // the block's requester waits for all of them (a lookup right after must find them).
        var writes = new Task[items.Count];
        for (var i = 0; i < writes.Length; i++)
        {
            var item = items[i];
            writes[i] = _cache.SetAsync(CacheKeys.Entity(callerScope, item.Id), item, _write, tags: null, cancellationToken).AsTask();
        }

        await Task.WhenAll(writes);
    }

    /// <summary>The instance as this caller last saw it, or null when this caller has not seen it (or no longer holds it).</summary>
    public ValueTask<QualityTaskInstance?> FindAsync(string callerScope, long instanceId, CancellationToken cancellationToken) =>
        _cache.GetOrCreateAsync<QualityTaskInstance?>(
            CacheKeys.Entity(callerScope, instanceId),
            static _ => ValueTask.FromResult<QualityTaskInstance?>(null),
            _lookup,
            tags: null,
            cancellationToken);
}
