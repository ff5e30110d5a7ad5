using System.Text.Json;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// Instances by id, for federation's entity lookups. The upstream has no get-by-id call, so the
/// only instances the gateway can return by id are those it has just fetched in a block: each
/// is recorded here, private to the caller that fetched it and for as long as blocks live.
/// A lookup never reaches the upstream; what is not here is simply unknown.
/// </summary>
/// <remarks>
/// One entry per caller, not per instance: in memory the caller's blocks themselves (no
/// copies), in Redis one hash per caller written with a single command per block. Writing every instance as its own cache entry cost more CPU and memory on a cold
/// block than the upstream call itself (see docs/performance.md). The in-process copy lives as
/// long as the blocks' in-process copies (Cache:LocalTtl), Redis's for the full TTL: kept in
/// memory for the TTL, the instances of every caller seen in the last half-minute were most of
/// the gateway's memory under load.
/// </remarks>
public sealed class InstanceEntityCache(IMemoryCache memory, IServiceProvider services, IOptions<CacheOptions> cache, IOptions<RedisOptions> redis, TimeProvider time)
{
    private readonly RedisConnection? _redis = services.GetService<RedisConnection>();
    private readonly TimeSpan _ttl = cache.Value.Ttl;
    private readonly TimeSpan _localTtl = cache.Value.EffectiveLocalTtl;
    private readonly Lock _creating = new();

    /// <summary>Records every item of a block this caller has just fetched from the upstream.</summary>
    public async Task RecordAsync(string callerScope, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var now = time.GetUtcNow();
        Local(callerScope, create: true)!.Add(items, now + _localTtl, now);
        if (_redis is not { IsConnected: true } connection || items.Count == 0)
        {
            return;
        }

        var fields = new HashEntry[items.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new HashEntry(items[i].Id, JsonSerializer.SerializeToUtf8Bytes(StoredInstance.From(items[i]), CacheJsonContext.Default.StoredInstance));
        }

        // Awaited, so that another replica asked right after the page finds them; bounded,
        // so that a slow Redis costs a lookup, never the page.
        try
        {
            var database = (await connection.GetAsync()).GetDatabase();
            var key = Key(callerScope);
            await Task.WhenAll(database.HashSetAsync(key, fields), database.KeyExpireAsync(key, _ttl))
                .WaitAsync(redis.Value.OperationTimeout, time, cancellationToken);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // Without Redis, only this replica can resolve them.
        }
    }

    /// <summary>The instance as this caller last saw it, or null when this caller has not seen it (or no longer holds it).</summary>
    public async ValueTask<QualityTaskInstance?> FindAsync(string callerScope, long instanceId, CancellationToken cancellationToken)
    {
        if (Local(callerScope, create: false)?.Find(instanceId, time.GetUtcNow()) is { } local)
        {
            return local;
        }

        if (_redis is not { IsConnected: true } connection)
        {
            return null;
        }

        try
        {
            var value = await (await connection.GetAsync()).GetDatabase().HashGetAsync(Key(callerScope), instanceId)
                .WaitAsync(redis.Value.OperationTimeout, time, cancellationToken);
            return value.HasValue ? JsonSerializer.Deserialize((byte[])value!, CacheJsonContext.Default.StoredInstance)?.ToInstance() : null;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or JsonException)
        {
            return null;
        }
    }

    private RedisKey Key(string callerScope) => new(redis.Value.InstanceName + CacheKeys.Entities(callerScope));

    private CallerEntities? Local(string callerScope, bool create)
    {
        var key = "entities:" + callerScope;
        if (memory.TryGetValue(key, out CallerEntities? entities) || !create)
        {
            return entities;
        }

        // MemoryCache's GetOrCreate is not atomic: two blocks of a caller's first page, fetched
        // concurrently, could each create an entry and one block's instances would be lost.
        lock (_creating)
        {
            return memory.GetOrCreate(key, entry =>
            {
                entry.SlidingExpiration = _localTtl;
                return new CallerEntities();
            });
        }
    }

    /// <summary>
    /// One caller's fetched blocks (their item lists, which the block cache holds anyway), each
    /// with its expiry. Searched rather than indexed: a caller holds a handful of blocks within
    /// the local TTL, and an index by id cost more memory than the instances themselves.
    /// </summary>
    private sealed class CallerEntities
    {
        private readonly Lock _gate = new();
        private readonly List<(IReadOnlyList<QualityTaskInstance> Items, DateTimeOffset Expires)> _blocks = [];

        public void Add(IReadOnlyList<QualityTaskInstance> items, DateTimeOffset expires, DateTimeOffset now)
        {
            lock (_gate)
            {
                _blocks.RemoveAll(block => block.Expires <= now);
                _blocks.Add((items, expires));
            }
        }

        /// <summary>Newest block first: an instance fetched again is returned as last seen.</summary>
        public QualityTaskInstance? Find(long id, DateTimeOffset now)
        {
            lock (_gate)
            {
                // Lookups keep the caller's entry alive (sliding expiry), so they prune too.
                _blocks.RemoveAll(block => block.Expires <= now);
                for (var i = _blocks.Count - 1; i >= 0; i--)
                {
                    var (items, _) = _blocks[i];
                    foreach (var item in items)
                    {
                        if (item.Id == id)
                        {
                            return item;
                        }
                    }
                }

                return null;
            }
        }
    }
}
