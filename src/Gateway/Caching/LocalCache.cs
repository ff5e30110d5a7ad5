using System.Diagnostics.CodeAnalysis;
using Gateway.Telemetry;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>What an in-process entry holds, for the eviction metric.</summary>
public enum LocalEntryKind
{
    /// <summary>An upstream block.</summary>
    Block,

    /// <summary>A caller's list of the blocks it fetched (federation entities are searched there).</summary>
    Entities,
}

/// <summary>
/// The gateway's in-process cache level: blocks and entity lists, bounded by
/// Cache:MemoryLimitBytes with every entry weighed in estimated heap bytes (CacheEntrySizes).
/// </summary>
/// <remarks>
/// Compaction drops expired entries first, then by priority (Low, Normal, High), least recently
/// used first within a priority. MemoryCache compacts only once an entry would take the total
/// past the limit, and turns that entry away until its background compaction is done: under a
/// burst the newest callers, the most valuable, were the ones refused. So the request that
/// takes the total past 95 % compacts first (about a twentieth of the entries), and the limit
/// itself is only the backstop. Blocks are Normal, so
/// the callers not seen for longest lose their blocks first; a caller's entity list is High, so
/// it never goes before its blocks, and it goes with them (<see cref="BlockDropped"/>).
/// MemoryCache only looks for expired entries when it is used, so an idle replica would hold a
/// burst's entries until the next request: a timer sweeps them every second instead.
/// </remarks>
public sealed partial class LocalCache : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan CapacityWarningInterval = TimeSpan.FromMinutes(5);
    private const double CompactionShare = 0.05;

    private readonly MemoryCache _memory;
    private readonly ITimer _sweep;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalCache> _logger;
    private readonly PostEvictionCallbackRegistration[] _evicted;
    private readonly long _highWater;
    private long _lastCapacityWarning = long.MinValue;
    private long _droppedSinceCollection;
    private int _compacting;
    private long _addedSinceCheck;
    private int _returnPending;

    /// <summary>A cache bounded by Cache:MemoryLimitBytes, swept every second on <paramref name="time"/>.</summary>
    /// <param name="options">The Cache section.</param>
    /// <param name="metrics">Receives evictions by kind and the estimated bytes held.</param>
    /// <param name="time">Drives the sweep timer and entry lifetimes.</param>
    /// <param name="logger">Warns (at most every 5 minutes) when the limit pushes entries out.</param>
    public LocalCache(IOptions<CacheOptions> options, GatewayMetrics metrics, TimeProvider time, ILogger<LocalCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        LimitBytes = options.Value.MemoryLimitBytes;
        _highWater = LimitBytes - (long)(LimitBytes * CompactionShare);
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _memory = new MemoryCache(new MemoryCacheOptions { SizeLimit = LimitBytes, TrackStatistics = true });

        // One registration per kind, shared by all entries of that kind: nothing allocated per entry for it.
        _evicted = [.. Enum.GetValues<LocalEntryKind>().Select(kind => new PostEvictionCallbackRegistration
        {
            EvictionCallback = static (key, value, reason, state) => ((Evicted)state!).Owner.OnEvicted(((Evicted)state!).Kind, key, value, reason),
            State = new Evicted(this, kind),
        })];
        _sweep = time.CreateTimer(static state => ((LocalCache)state!).Sweep(), this, SweepInterval, SweepInterval);
        metrics.ObserveCacheMemory(() => EstimatedBytes);
    }

    /// <summary>Cache:MemoryLimitBytes: the most estimated heap bytes all entries may take together.</summary>
    public long LimitBytes { get; }

    /// <summary>The sum of the estimated sizes of the entries held now.</summary>
    public long EstimatedBytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    /// <summary>How many entries (blocks and entity lists) are held now.</summary>
    public int Count => _memory.Count;

    /// <summary>A block's entry went (its lifetime ended, or the limit pushed it out); called with its key.</summary>
    public event Action<string>? BlockDropped;

    /// <summary>The entry under <paramref name="key"/> if it is held and is a <typeparamref name="T"/>; never extends its lifetime.</summary>
    /// <typeparam name="T">The expected type of the value.</typeparam>
    /// <param name="key">A key from CacheKeys.</param>
    /// <param name="value">The value when true.</param>
    public bool TryGet<T>(string key, [NotNullWhen(true)] out T? value)
        where T : class
    {
        if (_memory.TryGetValue(key, out var found) && found is T typed)
        {
            value = typed;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Keeps <paramref name="value"/> for <paramref name="lifetime"/> unless the limit pushes it
    /// out sooner (or has no room for it: then it is simply not kept).
    /// </summary>
    public void Set(string key, object value, long size, TimeSpan lifetime, CacheItemPriority priority, LocalEntryKind kind)
    {
        if (lifetime <= TimeSpan.Zero)
        {
            return;
        }

        // The size is read (which allocates) once per hundredth of the limit added, not per
        // entry; one request compacts at a time, and the others go on adding within the 5 % left.
        if (Interlocked.Add(ref _addedSinceCheck, size) >= LimitBytes / 100
            && Interlocked.Exchange(ref _addedSinceCheck, 0) >= LimitBytes / 100
            && EstimatedBytes + size > _highWater
            && Interlocked.CompareExchange(ref _compacting, 1, 0) == 0)
        {
            try
            {
                _memory.Compact(CompactionShare);
            }
            finally
            {
                Volatile.Write(ref _compacting, 0);
            }
        }

        // CreateEntry rather than Set(options): no options object per entry. Dispose commits it.
        var entry = _memory.CreateEntry(key);
        entry.Value = value;
        entry.Size = size;
        entry.Priority = priority;
        entry.AbsoluteExpirationRelativeToNow = lifetime;
        entry.PostEvictionCallbacks.Add(_evicted[(int)kind]);
        entry.Dispose();
    }

    /// <summary>Drops the entry under <paramref name="key"/>, if any, on purpose: not counted as an eviction, and no <see cref="BlockDropped"/>.</summary>
    public void Remove(string key) => _memory.Remove(key);

    /// <inheritdoc />
    public void Dispose()
    {
        _sweep.Dispose();
        _memory.Dispose();
    }

    private void OnEvicted(LocalEntryKind kind, object key, object? value, EvictionReason reason)
    {
        // Replaced and Removed are not losses: a newer copy took the entry's place, or the
        // gateway removed it on purpose (an entity list whose blocks are all gone).
        var name = reason switch
        {
            EvictionReason.Capacity => "capacity",
            EvictionReason.Expired => "expired",
            _ => null,
        };
        if (name is null)
        {
            return;
        }

        _metrics.CacheEviction(kind == LocalEntryKind.Block ? "block" : "entities", name);
        if (reason == EvictionReason.Capacity)
        {
            WarnOfCapacity();
        }

        if (value is Upstream.InstanceBlock block && key is string blockKey)
        {
            BlockDropped?.Invoke(blockKey);
            Dropped(CacheEntrySizes.Block(blockKey, block));
        }
    }

    /// <summary>
    /// Starts a background GC once a quarter of the limit has been dropped since the last one.
    /// </summary>
    /// <remarks>
    /// Blocks live long enough to reach generation 2, so the blocks the limit pushes out die
    /// there, and the GC lets generation 2 grow by up to 80 % over what survived its last
    /// collection before it collects again (more when the machine has memory to spare). Under
    /// a burst of new callers that was most of the peak working set: the limit held the cache at
    /// its size while the heap kept the dropped blocks. A background collection runs beside the
    /// requests (no long pause) and puts that space back in use. The same holds when a burst's
    /// entries expire on an idle replica: no allocation would start a collection for a long time.
    /// </remarks>
    private void Dropped(long bytes)
    {
        // Of two evictions that cross the mark together, only the one that resets it collects.
        if (Interlocked.Add(ref _droppedSinceCollection, bytes) < LimitBytes / 4
            || Interlocked.Exchange(ref _droppedSinceCollection, 0) < LimitBytes / 4)
        {
            return;
        }

        Volatile.Write(ref _returnPending, 1);
        GC.Collect(2, GCCollectionMode.Forced, blocking: false);
    }

    /// <summary>
    /// Drops expired entries; and once a replica that dropped a quarter of its limit holds less
    /// than a tenth of it (its burst has expired and it has gone quiet), gives the memory back.
    /// </summary>
    /// <remarks>
    /// A background collection frees the dropped blocks for reuse but leaves the GC's memory
    /// committed: measured after a burst's entries expired, the live heap fell from 185 to 30 MB
    /// and the working set stayed at 408 MB. An aggressive (blocking, compacting) collection
    /// returns it to the system; it blocks (0.13 s measured), so it runs only on a replica that has
    /// gone quiet, and at most once per quarter of the limit dropped.
    /// </remarks>
    private void Sweep()
    {
        _memory.Compact(0);
        if (Volatile.Read(ref _returnPending) == 1 && EstimatedBytes < LimitBytes / 10 && Interlocked.Exchange(ref _returnPending, 0) == 1)
        {
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    /// <summary>Once per few minutes while the limit is being hit: the counter says how often.</summary>
    private void WarnOfCapacity()
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastCapacityWarning);
        if ((last != long.MinValue && _time.GetElapsedTime(last, now) < CapacityWarningInterval)
            || Interlocked.CompareExchange(ref _lastCapacityWarning, now, last) != last)
        {
            return;
        }

        LogCapacity(_logger, LimitBytes);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The in-process cache is full (Cache:MemoryLimitBytes = {LimitBytes} bytes): the least recently used blocks make room for new ones (counted by gateway.cache.evictions, reason \"capacity\").")]
    private static partial void LogCapacity(ILogger logger, long limitBytes);

    private sealed record Evicted(LocalCache Owner, LocalEntryKind Kind);
}
