using System.Collections.Concurrent;
using Gateway.Redis;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>How a cached block may be served.</summary>
public enum BlockAge
{
    /// <summary>Within its freshness (Cache:Ttl, or Cache:VolatileTtl with unfinished runs): served as it is.</summary>
    Fresh,

    /// <summary>Past it but within its stale bound: served at once, and fetched again in the background.</summary>
    Stale,

    /// <summary>Past both: fetched before answering.</summary>
    Expired,
}

/// <summary>
/// Stale-while-revalidate for blocks (Cache:StaleTtl). A block past its freshness but within
/// its stale bound is answered at once, and fetched again in the background: once per process
/// at a time, and once per freshness period across the replicas (a claim in Redis, which
/// expires on its own, so a replica that dies while refreshing blocks nobody for long). The
/// refresh is an ordinary fetch: through the caller's budget, published to Redis and memory.
/// Blocks with unfinished runs have their own, shorter bounds (Cache:VolatileTtl and
/// Cache:VolatileStaleTtl). A failed refresh leaves the stale copy in place until its bound;
/// the next request that finds it stale tries again.
/// </summary>
public sealed partial class BlockRevalidation(IOptions<CacheOptions> options, RedisGate gate, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<BlockRevalidation> logger)
{
    private readonly CacheOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, bool> _running = new(StringComparer.Ordinal);

    /// <summary>How long a block is kept anywhere (memory, Redis): fresh for Cache:Ttl, then stale for Cache:StaleTtl.</summary>
    public TimeSpan Keep => _options.Ttl + _options.StaleTtl;

    /// <summary>Refreshes under way in this process (for tests and diagnostics).</summary>
    public int Running => _running.Count;

    /// <summary>Whether <paramref name="block"/> is fresh, stale (servable while it is refreshed) or expired, on the cache's clock.</summary>
    /// <param name="block">A cached block, dated by its fetch time.</param>
    /// <returns>How the block may be served now.</returns>
    public BlockAge Judge(InstanceBlock block)
    {
        var (fresh, stale) = Bounds(block);
        var age = time.GetUtcNow() - block.FetchedAt;
        return age < fresh ? BlockAge.Fresh : age < fresh + stale ? BlockAge.Stale : BlockAge.Expired;
    }

    /// <summary>How long after its fetch <paramref name="block"/> may be served at all (fresh, then stale); past it, it is fetched again before answering.</summary>
    public TimeSpan Servable(InstanceBlock block)
    {
        var (fresh, stale) = Bounds(block);
        return fresh + stale;
    }

    private (TimeSpan Fresh, TimeSpan Stale) Bounds(InstanceBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);

        // Cache:StaleTtl bounds both: zero turns stale answers off for every block.
        return block.HoldsUnfinishedRuns
            ? (_options.VolatileTtl, _options.VolatileStaleTtl < _options.StaleTtl ? _options.VolatileStaleTtl : _options.StaleTtl)
            : (_options.Ttl, _options.StaleTtl);
    }

    /// <summary>
    /// Starts the background refresh of the stale <paramref name="served"/> block behind
    /// <paramref name="key"/>, unless one is already under way here. <paramref name="readShared"/>
    /// looks in Redis (another replica may have refreshed it already), <paramref name="keep"/>
    /// keeps such a copy in memory, <paramref name="refresh"/> fetches and publishes.
    /// </summary>
    public void Revalidate(string key, InstanceBlock served, Func<CancellationToken, ValueTask<InstanceBlock?>> readShared, Action<InstanceBlock> keep, Func<CancellationToken, ValueTask<InstanceBlock>> refresh)
    {
        ArgumentNullException.ThrowIfNull(served);
        if (!_running.TryAdd(key, true))
        {
            return;
        }

        // Not part of the request that found it stale: it has been answered, and its trace,
        // cancellation and execution context end with it.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(() => RunAsync(key, served, readShared, keep, refresh));
        }
    }

    private async Task RunAsync(string key, InstanceBlock served, Func<CancellationToken, ValueTask<InstanceBlock?>> readShared, Action<InstanceBlock> keep, Func<CancellationToken, ValueTask<InstanceBlock>> refresh)
    {
        var stopping = lifetime.ApplicationStopping;
        var claim = gate.Keys.Refresh(key);
        var claimed = false;
        try
        {
            if (await readShared(stopping) is { } shared && shared.FetchedAt > served.FetchedAt && Judge(shared) == BlockAge.Fresh)
            {
                keep(shared);
                return;
            }

            // One refresh per freshness period across the replicas. Without an answer from
            // Redis this replica refreshes alone: a stale block must not stay stale for want of it.
            var period = served.HoldsUnfinishedRuns ? _options.VolatileTtl : _options.Ttl;
            var reply = await gate.RunAsync(RedisTraffic.Coordination, "refresh-claim", database => database.StringSetAsync(claim, "1", period, When.NotExists), stopping);
            if (reply is { Answered: true, Value: false })
            {
                return;
            }

            claimed = reply.Answered;
            await refresh(stopping);
            claimed = false;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the stale copy is all there is, as before.
        }
        catch (Exception exception)
        {
            // Nothing to answer to: the stale copy stays until its bound, and whoever finds it
            // stale next tries again (the claim is given back for that).
            LogRefreshFailed(logger, exception.GetType().Name, exception);
        }
        finally
        {
            if (claimed)
            {
                gate.Send("refresh-release", database => database.KeyDeleteAsync(claim));
            }

            _running.TryRemove(key, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A stale block could not be refreshed in the background ({Error}); it is served stale until its bound, then fetched before answering.")]
    private static partial void LogRefreshFailed(ILogger logger, string error, Exception exception);
}
