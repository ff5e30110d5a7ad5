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
public sealed partial class InstanceEntityCache
{
    private readonly HybridCache _cache;
    private readonly HybridCacheEntryOptions _writeLocal;
    private readonly HybridCacheEntryOptions _writeDistributed;
    private readonly HybridCacheEntryOptions _lookup;
    private readonly bool _hasDistributedLevel;
    private readonly ILogger<InstanceEntityCache> _logger;

    public InstanceEntityCache(HybridCache cache, IOptions<CacheOptions> options, IServiceProvider services, ILogger<InstanceEntityCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _logger = logger;
        _hasDistributedLevel = services.GetService<ResilientDistributedCache>() is not null;
        _writeLocal = new HybridCacheEntryOptions
        {
            Expiration = options.Value.Ttl,
            LocalCacheExpiration = options.Value.EffectiveLocalTtl,
            Flags = HybridCacheEntryFlags.DisableDistributedCacheWrite,
        };
        _writeDistributed = new HybridCacheEntryOptions
        {
            Expiration = options.Value.Ttl,
            LocalCacheExpiration = options.Value.EffectiveLocalTtl,
            Flags = HybridCacheEntryFlags.DisableLocalCacheWrite,
        };

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

    /// <summary>
    /// Records every item of a block this caller has just fetched from the upstream. The
    /// in-process copies are written before the block is served (a lookup on this replica right
    /// after finds them); the Redis copies, a hundred round trips that made a cold page about
    /// 12 ms slower at p50 in the COLD scenario, are written in the background, so another
    /// replica finds them once they land (normally within milliseconds).
    /// </summary>
    public async Task RecordAsync(string callerScope, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var local = new ValueTask[items.Count];
        for (var i = 0; i < local.Length; i++)
        {
            var item = items[i];
            local[i] = _cache.SetAsync(CacheKeys.Entity(callerScope, item.Id), item, _writeLocal, tags: null, cancellationToken);
        }

        foreach (var write in local)
        {
            await write;
        }

        if (_hasDistributedLevel)
        {
            _ = WriteDistributedAsync(callerScope, items);
        }
    }

    // Not tied to the request: the caller may be gone before Redis has answered. Failures are
    // the Redis wrapper's to count and swallow; anything else is logged, never unobserved.
    private async Task WriteDistributedAsync(string callerScope, IReadOnlyList<QualityTaskInstance> items)
    {
        try
        {
            var writes = new Task[items.Count];
            for (var i = 0; i < writes.Length; i++)
            {
                var item = items[i];
                writes[i] = _cache.SetAsync(CacheKeys.Entity(callerScope, item.Id), item, _writeDistributed, tags: null, CancellationToken.None).AsTask();
            }

            await Task.WhenAll(writes);
        }
        catch (Exception exception)
        {
            LogBackgroundWriteFailed(_logger, exception);
        }
    }

    /// <summary>The instance as this caller last saw it, or null when this caller has not seen it (or no longer holds it).</summary>
    public ValueTask<QualityTaskInstance?> FindAsync(string callerScope, long instanceId, CancellationToken cancellationToken) =>
        _cache.GetOrCreateAsync<QualityTaskInstance?>(
            CacheKeys.Entity(callerScope, instanceId),
            static _ => ValueTask.FromResult<QualityTaskInstance?>(null),
            _lookup,
            tags: null,
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing fetched instances to Redis in the background failed; other replicas cannot resolve them as entities.")]
    private static partial void LogBackgroundWriteFailed(ILogger logger, Exception exception);
}
