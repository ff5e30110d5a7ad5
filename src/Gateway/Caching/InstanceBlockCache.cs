using System.Diagnostics;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>
/// Serves upstream blocks from memory, then Redis when configured: concurrent requests for the
/// same cold block share one upstream call, failures are never cached, entries are private to
/// one caller, and blocks holding unfinished runs go stale sooner. A block past its freshness
/// but within Cache:StaleTtl is answered at once and refreshed in the background
/// (<see cref="BlockRevalidation"/>).
/// </summary>
/// <remarks>
/// The in-process copy lives in <see cref="LocalCache"/>, not in HybridCache's own L1:
/// HybridCache weighs an L1 entry by its serialized length (about half of what a block takes on
/// the heap) and gives no sign when one is evicted, so a memory limit in its terms would not
/// mean bytes. The Redis copy lives in <see cref="RedisBlockStore"/>, not in HybridCache's Redis
/// level, so that looking a cold block up and claiming it is one round trip. HybridCache stores
/// no block: it does what it is good at, one factory run for concurrent misses of a key.
/// </remarks>
public sealed partial class InstanceBlockCache
{
    // HybridCache keeps no copy of a block anywhere; it only joins concurrent misses of a key.
    private static readonly HybridCacheEntryOptions CoalesceOnly = new() { Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableDistributedCache };

    private readonly HybridCache _cache;
    private readonly LocalCache _local;
    private readonly QualityInstancesClient _client;
    private readonly InstanceEntityCache _entities;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly TimeSpan _volatileTtl;
    private readonly TimeSpan _freshTtl;

    // How long a block is kept (fresh, then stale): the lifetime of every copy.
    private readonly TimeSpan _keep;
    private readonly TimeSpan _localTtl;
    private readonly RedisBlockStore _shared;
    private readonly DistributedSingleFlight _singleFlight;
    private readonly BlockRevalidation _revalidation;
    private readonly bool _memoryOnly;

    /// <summary>Reads Cache:Ttl, Cache:VolatileTtl, Cache:LocalTtl and Cache:StaleTtl once.</summary>
    /// <param name="cache">HybridCache, used only for its single-flight of concurrent misses.</param>
    /// <param name="local">The in-process level.</param>
    /// <param name="shared">The Redis level.</param>
    /// <param name="client">Fetches a block from the upstream on a miss.</param>
    /// <param name="entities">Records every fetched instance for federation's entity lookups.</param>
    /// <param name="singleFlight">Lets one replica fetch a cold block while the others wait for its result in Redis.</param>
    /// <param name="revalidation">Judges a block's age and refreshes stale ones in the background (Cache:StaleTtl).</param>
    /// <param name="gate">Tells whether Redis is configured: without it, memory keeps blocks as long as they may be served.</param>
    /// <param name="metrics">Counts hits, misses and the steps of a cold block.</param>
    /// <param name="time">The clock that dates blocks and decides staleness.</param>
    /// <param name="options">The Cache section.</param>
    public InstanceBlockCache(HybridCache cache, LocalCache local, RedisBlockStore shared, QualityInstancesClient client, InstanceEntityCache entities, DistributedSingleFlight singleFlight, BlockRevalidation revalidation, RedisGate gate, GatewayMetrics metrics, TimeProvider time, IOptions<CacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(options);
        _cache = cache;
        _local = local;
        _shared = shared;
        _singleFlight = singleFlight;
        _revalidation = revalidation;

        // Without Redis, memory is the only level: it keeps a block as long as it may be served.
        _memoryOnly = !gate.IsEnabled;
        _client = client;
        _entities = entities;
        _metrics = metrics;
        _time = time;
        _volatileTtl = options.Value.VolatileTtl;
        _freshTtl = options.Value.Ttl;
        _keep = revalidation.Keep;
        _localTtl = options.Value.EffectiveLocalTtl;
    }

    /// <summary>Block <paramref name="blockIndex"/> of the caller's list: from memory, then Redis, else one upstream call shared by every concurrent request for it. A block past its freshness is answered at once and refreshed in the background while within Cache:StaleTtl (Cache:VolatileStaleTtl with unfinished runs), and fetched before answering after it.</summary>
    /// <param name="credentials">The caller's token and workspace, forwarded on a miss.</param>
    /// <param name="callerScope">Whose entry it is (<see cref="UpstreamCredentials.CallerKey"/>): entries are private to one caller.</param>
    /// <param name="scope">The project and filter of the list.</param>
    /// <param name="blockIndex">Zero-based block number (items blockIndex * 100 onwards).</param>
    /// <param name="request">Whether to skip cached copies, and where to report the outcome.</param>
    /// <param name="field">The field's alias or name, which the outcome is reported under.</param>
    /// <param name="cancellationToken">Ends this request's wait for the block.</param>
    /// <exception cref="UpstreamException">The upstream call failed; nothing is cached.</exception>
    public async ValueTask<InstanceBlock> GetBlockAsync(UpstreamCredentials credentials, string callerScope, InstanceListScope scope, int blockIndex, CacheRequest request, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = GatewayActivities.Source.StartActivity("cache block");
        activity?.SetTag("gateway.block.index", blockIndex);
        var key = CacheKeys.Block(callerScope, scope, InstanceBlock.Size, blockIndex);
        var fetch = new Fetch(this, key, credentials, callerScope, scope, blockIndex, activity?.Context ?? default, Stopwatch.GetTimestamp());

        fetch.Refreshing = request.Refresh;
        var age = BlockAge.Expired;
        InstanceBlock? block = null;
        if (!request.Refresh && _local.TryGet(key, out block))
        {
            age = _revalidation.Judge(block);
        }

        if (age == BlockAge.Expired || block is null)
        {
            // Not in memory, or too old to serve even stale: Redis may already hold a newer
            // copy from another replica; only if it does not (or holds one too old as well) is
            // the upstream asked before answering.
            block = await GetAsync(key, fetch, cancellationToken);
            age = fetch.Ran ? BlockAge.Fresh : _revalidation.Judge(block);
            if (age == BlockAge.Expired)
            {
                fetch.Refreshing = true;
                block = await GetAsync(key, fetch, cancellationToken);
                age = BlockAge.Fresh;
            }

            if (!fetch.Ran)
            {
                KeepLocally(key, block);
            }
        }

        if (age == BlockAge.Stale)
        {
            var refresh = new Fetch(this, key, credentials, callerScope, scope, blockIndex, default, Stopwatch.GetTimestamp()) { Refreshing = true };
            _revalidation.Revalidate(key, block, token => _shared.ReadAsync(key, token), held => KeepLocally(key, held), token => GetAsync(key, refresh, token));
        }

        var outcome = fetch.Ran ? (request.Refresh ? CacheOutcome.Refresh : CacheOutcome.Miss) : age == BlockAge.Stale ? CacheOutcome.Stale : CacheOutcome.Hit;
        if (outcome is CacheOutcome.Hit or CacheOutcome.Stale)
        {
            _metrics.CacheHit();
        }
        else
        {
            _metrics.CacheMiss();
        }

        activity?.SetTag("gateway.cache.outcome", outcome.ToString());
        request.Report?.Record(field, outcome, _time.GetUtcNow() - block.FetchedAt);
        return block;
    }

    /// <summary>
    /// Until when the block counts as fresh: the volatile TTL for blocks with unfinished runs
    /// (they are fetched again after it), the TTL otherwise. A response built from blocks is
    /// never reused past the earliest of theirs.
    /// </summary>
    public DateTimeOffset FreshUntil(InstanceBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        return block.FetchedAt + (block.HoldsUnfinishedRuns ? _volatileTtl : _freshTtl);
    }

    /// <summary>
    /// Concurrent requests for one block in this process share one run of <paramref name="fetch"/>
    /// (Redis, then the upstream); a refresh shares only with other refreshes, so that
    /// Cache-Control: no-cache never receives the copy in Redis.
    /// </summary>
    private ValueTask<InstanceBlock> GetAsync(string key, Fetch fetch, CancellationToken cancellationToken) =>
        _cache.GetOrCreateAsync(fetch.Refreshing ? key + RefreshFlight : key, fetch, static (state, token) => state.RunAsync(token), CoalesceOnly, tags: null, cancellationToken);

    // Appended to a block's key where refreshes of it are joined; never stored anywhere.
    private const string RefreshFlight = "#refresh";

    /// <summary>
    /// The in-process copy, for Cache:LocalTtl and never past the block's TTL, weighed by its
    /// content. All blocks have one priority: when the memory limit is reached, the least
    /// recently used go first. (Ranking blocks with unfinished runs lower was considered: nearly
    /// every first block holds one, and a young one is worth as much as any other.)
    /// </summary>
    private void KeepLocally(string key, InstanceBlock block)
    {
        // Requests that shared another one's fetch, or read the same copy from Redis, find it kept.
        if (_local.TryGet(key, out InstanceBlock? held) && ReferenceEquals(held, block))
        {
            return;
        }

        var remaining = block.FetchedAt + _keep - _time.GetUtcNow();
        _local.Set(
            key,
            block,
            CacheEntrySizes.Block(key, block),
            _memoryOnly || remaining < _localTtl ? remaining : _localTtl,
            CacheItemPriority.Normal,
            LocalEntryKind.Block);
    }
}
