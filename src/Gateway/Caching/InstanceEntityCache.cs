using System.Text.Json;
using Gateway.Redis;
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
/// One entry per caller, not per instance: in memory a list of the keys of the blocks the caller
/// fetched, searched in the blocks the in-process cache still holds (no copies, and an instance
/// lives exactly as long as its block's in-process copy, Cache:LocalTtl, or less when the memory
/// limit pushes the block out); in Redis one hash per caller written with a single command per
/// block, for the full TTL. Writing every instance as its own cache entry cost more CPU and
/// memory on a cold block than the upstream call itself (see docs/performance.md).
/// </remarks>
public sealed class InstanceEntityCache
{
    private readonly LocalCache _local;
    private readonly RedisGate _redis;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly TimeSpan _localTtl;
    private readonly Lock _recording = new();

    public InstanceEntityCache(LocalCache local, RedisGate redis, IOptions<CacheOptions> cache, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(cache);
        _local = local;
        _redis = redis;
        _time = time;

        // As long as the blocks they came from may be served, stale ones included.
        _ttl = cache.Value.Ttl + cache.Value.StaleTtl;
        _localTtl = cache.Value.EffectiveLocalTtl;

        // A list whose blocks are gone finds nothing: it goes with its last block.
        local.BlockDropped += Forget;
    }

    /// <summary>Records every item of a block this caller has just fetched from the upstream (and kept under <paramref name="blockKey"/>).</summary>
    public async Task RecordAsync(string callerScope, string blockKey, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        Remember(callerScope, blockKey);
        if (!_redis.IsConnected || items.Count == 0)
        {
            return;
        }

        var fields = new HashEntry[items.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new HashEntry(items[i].Id, JsonSerializer.SerializeToUtf8Bytes(StoredInstance.From(items[i]), CacheJsonContext.Default.StoredInstance));
        }

        // Awaited, so that another replica asked right after the page finds them; bounded by
        // the gate, so that a slow Redis costs a lookup, never the page. Without Redis, only
        // this replica can resolve them.
        var key = _redis.Keys.Entities(callerScope);
        await _redis.RunAsync(RedisTraffic.Cache, "entities-set", database => Task.WhenAll(database.HashSetAsync(key, fields), database.KeyExpireAsync(key, _ttl)), cancellationToken);
    }

    /// <summary>The instance as this caller last saw it, or null when this caller has not seen it (or no longer holds it).</summary>
    public async ValueTask<QualityTaskInstance?> FindAsync(string callerScope, long instanceId, CancellationToken cancellationToken)
    {
        if (FindLocally(callerScope, instanceId) is { } found)
        {
            return found;
        }

        var value = await _redis.RunAsync(RedisTraffic.Cache, "entities-get", database => database.HashGetAsync(_redis.Keys.Entities(callerScope), instanceId), cancellationToken);
        if (!value.Answered || !value.Value.HasValue)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize((byte[])value.Value!, CacheJsonContext.Default.StoredInstance)?.ToInstance();
        }
        catch (JsonException)
        {
            // Written by another version of the gateway: unknown here, like any other miss.
            return null;
        }
    }

    private static string LocalKey(string callerScope) => CacheKeys.EntityBlocks(callerScope);

    /// <summary>Adds the block to the caller's list (newest last), dropping keys whose time is up.</summary>
    private void Remember(string callerScope, string blockKey)
    {
        // The list is replaced, not changed, so that its entry's size stays honest; the lock
        // keeps two blocks of one page, fetched concurrently, from each dropping the other.
        // Taken once per fetched or dropped block, never on a cache hit.
        lock (_recording)
        {
            // A block the memory limit had no room for holds no instances to find here.
            if (!_local.TryGet(blockKey, out InstanceBlock? _))
            {
                return;
            }

            var now = _time.GetUtcNow();
            var key = LocalKey(callerScope);
            var blocks = _local.TryGet(key, out CallerBlocks? known) ? known.Without(blockKey, now) : [];
            blocks.Add((blockKey, now + _localTtl));
            Keep(key, blocks);
        }
    }

    private void Forget(string blockKey)
    {
        var key = LocalKey(CacheKeys.CallerOfBlock(blockKey));
        lock (_recording)
        {
            if (_local.TryGet(key, out CallerBlocks? known))
            {
                Keep(key, known.Without(blockKey, _time.GetUtcNow()));
            }
        }
    }

    private void Keep(string key, List<(string Key, DateTimeOffset Expires)> blocks)
    {
        if (blocks.Count == 0)
        {
            _local.Remove(key);
            return;
        }

        // High: when the limit is reached, blocks go first, and the list with the last of them.
        var list = new CallerBlocks([.. blocks]);
        _local.Set(key, list, list.Size(key), blocks.Max(block => block.Expires) - _time.GetUtcNow(), CacheItemPriority.High, LocalEntryKind.Entities);
    }

    /// <summary>Newest block first: an instance fetched again is returned as last seen.</summary>
    private QualityTaskInstance? FindLocally(string callerScope, long instanceId)
    {
        if (!_local.TryGet(LocalKey(callerScope), out CallerBlocks? known))
        {
            return null;
        }

        var now = _time.GetUtcNow();
        for (var i = known.Blocks.Length - 1; i >= 0; i--)
        {
            var (blockKey, expires) = known.Blocks[i];
            if (expires <= now || !_local.TryGet(blockKey, out InstanceBlock? block))
            {
                continue;
            }

            foreach (var item in block.Items)
            {
                if (item.Id == instanceId)
                {
                    return item;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The keys of one caller's fetched blocks, each with the time its in-process copy ends.
    /// Searched rather than indexed: a caller holds a handful of blocks within the local TTL, and
    /// an index by id cost more memory than the instances themselves.
    /// </summary>
    private sealed record CallerBlocks((string Key, DateTimeOffset Expires)[] Blocks)
    {
        public List<(string Key, DateTimeOffset Expires)> Without(string blockKey, DateTimeOffset now) =>
            [.. Blocks.Where(block => block.Expires > now && !string.Equals(block.Key, blockKey, StringComparison.Ordinal))];

        /// <summary>
        /// The entry, its key, this record and its array of (key, expiry) pairs, and the block keys
        /// (shared with the blocks' entries while those live, but they may outlive them here).
        /// </summary>
        public long Size(string key)
        {
            var size = CacheEntrySizes.EntryOverhead + CacheEntrySizes.String(key) + CacheEntrySizes.Object(8) + CacheEntrySizes.Object(8 + (24L * Blocks.Length));
            foreach (var (blockKey, _) in Blocks)
            {
                size += CacheEntrySizes.String(blockKey);
            }

            return size;
        }
    }
}
