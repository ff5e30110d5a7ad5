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
    private readonly SingleFlightOptions _singleFlight;

    // The instance's stored JSON; else 1 while one of the caller's blocks waits to be published
    // (KEYS[2], see RedisKeys.PendingPublishes); else nil. One slot: both carry the caller's tag.
    private const string FindScript = """
        local stored = redis.call('hget', KEYS[1], ARGV[1])
        if stored then return stored end
        if (tonumber(redis.call('get', KEYS[2])) or 0) > 0 then return 1 end
        return false
        """;

    /// <summary>Reads Cache:Ttl (the Redis hash's lifetime) and Cache:LocalTtl once.</summary>
    /// <param name="local">Holds the callers' lists of block keys and the blocks searched through them.</param>
    /// <param name="redis">Where each caller's hash of instances lives, when Redis is configured.</param>
    /// <param name="cache">The Cache section.</param>
    /// <param name="singleFlight">How long and how often an entity lookup waits for a block being published.</param>
    /// <param name="time">The clock for entry lifetimes.</param>
    public InstanceEntityCache(LocalCache local, RedisGate redis, IOptions<CacheOptions> cache, IOptions<SingleFlightOptions> singleFlight, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(singleFlight);
        _singleFlight = singleFlight.Value;
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

    /// <summary>Records every item of a block this caller has just fetched from the upstream (and kept under <paramref name="blockKey"/>), here and in Redis.</summary>
    public async Task RecordAsync(string callerScope, string blockKey, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        Remember(callerScope, blockKey);
        await PublishAsync(callerScope, items, cancellationToken);
    }

    /// <summary>Writes the items to the caller's hash in Redis, for the other replicas; bounded by the gate, a no-op without Redis.</summary>
    public async Task PublishAsync(string callerScope, IReadOnlyList<QualityTaskInstance> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!_redis.IsConnected || items.Count == 0)
        {
            return;
        }

        var fields = new HashEntry[items.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = new HashEntry(items[i].Id, JsonSerializer.SerializeToUtf8Bytes(StoredInstance.From(items[i]), CacheJsonContext.Default.StoredInstance));
        }

        var key = _redis.Keys.Entities(callerScope);
        await _redis.RunAsync(RedisTraffic.Cache, "entities-set", database => Task.WhenAll(database.HashSetAsync(key, fields), database.KeyExpireAsync(key, _ttl)), cancellationToken);
    }

    /// <summary>
    /// The instance as this caller last saw it, or null when this caller has not seen it (or no
    /// longer holds it). A block is answered before it reaches Redis, so while one of the
    /// caller's blocks is claimed and not yet published, a miss in Redis is asked again (every
    /// Cache:SingleFlight:PollInterval, for at most one Lease) rather than answered at once.
    /// </summary>
    public async ValueTask<QualityTaskInstance?> FindAsync(string callerScope, long instanceId, CancellationToken cancellationToken)
    {
        if (FindLocally(callerScope, instanceId) is { } found)
        {
            return found;
        }

        RedisKey[] keys = [_redis.Keys.Entities(callerScope), _redis.Keys.PendingPublishes(callerScope)];
        var giveUpAt = _time.GetUtcNow() + _singleFlight.Lease;
        while (true)
        {
            var reply = await _redis.RunAsync(RedisTraffic.Cache, "entities-get", database => database.ScriptEvaluateAsync(FindScript, keys, [instanceId]), cancellationToken);
            if (!reply.Answered || reply.Value.IsNull)
            {
                return null;
            }

            if (reply.Value.Resp2Type != ResultType.Integer)
            {
                return Decode((byte[])reply.Value!);
            }

            if (_time.GetUtcNow() >= giveUpAt)
            {
                return null;
            }

            await Task.Delay(_singleFlight.PollInterval, _time, cancellationToken);
        }
    }

    private static QualityTaskInstance? Decode(byte[] stored)
    {
        try
        {
            return JsonSerializer.Deserialize(stored, CacheJsonContext.Default.StoredInstance)?.ToInstance();
        }
        catch (JsonException)
        {
            // Written by another version of the gateway: unknown here, like any other miss.
            return null;
        }
    }

    private static string LocalKey(string callerScope) => CacheKeys.EntityBlocks(callerScope);

    /// <summary>Adds the block, just fetched and kept in memory, to the caller's list (newest last), dropping keys whose time is up.</summary>
    public void Remember(string callerScope, string blockKey)
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
