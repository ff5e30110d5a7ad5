using System.Diagnostics.Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's own OpenTelemetry instruments. Tags are low-cardinality outcomes only:
/// never a token, a workspace or a project id.
/// </summary>
public sealed class GatewayMetrics
{
    /// <summary>The Meter name ("QualityGateway") that the meter provider exports.</summary>
    public const string MeterName = "QualityGateway";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _redisFailures;
    private readonly Counter<long> _upstreamCalls;
    private readonly Histogram<double> _coldBlockSteps;
    private readonly Counter<long> _cacheEvictions;
    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter owned by <paramref name="meterFactory"/>, which disposes it with the container.</summary>
    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = _meter = meterFactory.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("gateway.cache.hits", "{block}", "Upstream blocks served from the cache (memory or Redis).");
        _cacheMisses = meter.CreateCounter<long>("gateway.cache.misses", "{block}", "Upstream blocks that had to be fetched (cold, expired or refreshed).");
        _redisFailures = meter.CreateCounter<long>("gateway.redis.failures", "{command}", "Redis commands that failed, timed out or were skipped while Redis was unhealthy, by traffic (cache, coordination) and operation.");
        _upstreamCalls = meter.CreateCounter<long>("gateway.upstream.calls", "{call}", "Calls to the DataArts Quality list API, by outcome.");
        _cacheEvictions = meter.CreateCounter<long>("gateway.cache.evictions", "{entry}", "In-process cache entries dropped, by reason (capacity: Cache:MemoryLimitBytes reached; expired) and kind (block, entities).");

        // Sub-millisecond steps next to the upstream's tens of milliseconds: the default
        // buckets (from 5 s up) would put every Redis step in the first one.
        _coldBlockSteps = meter.CreateHistogram(
            "gateway.cache.cold_block.step.duration",
            "s",
            "Where the time of a block that had to be fetched goes, by step (see ColdBlockStep).",
            tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    /// <summary>One block served from memory or Redis (gateway.cache.hits).</summary>
    public void CacheHit() => _cacheHits.Add(1);

    /// <summary>One block that had to be fetched from the upstream: cold, expired, stale or refreshed (gateway.cache.misses).</summary>
    public void CacheMiss() => _cacheMisses.Add(1);

    /// <summary>A Redis command failed, timed out or was skipped; <paramref name="traffic"/> is "cache" or "coordination".</summary>
    public void RedisFailure(string traffic, string operation) =>
        _redisFailures.Add(1, new KeyValuePair<string, object?>("traffic", traffic), new KeyValuePair<string, object?>("operation", operation));

    /// <summary>How long one step of a block this replica fetches took.</summary>
    public void ColdBlockStep(ColdBlockStep step, TimeSpan elapsed) =>
        _coldBlockSteps.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("step", step switch
        {
            Telemetry.ColdBlockStep.Lookup => "lookup",
            Telemetry.ColdBlockStep.Claim => "claim",
            Telemetry.ColdBlockStep.Budget => "budget",
            Telemetry.ColdBlockStep.Upstream => "upstream",
            Telemetry.ColdBlockStep.Publish => "publish",
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        }));

    /// <summary>An in-process cache entry went: its lifetime ended, or the memory limit made room (or turned it away).</summary>
    public void CacheEviction(string kind, string reason) =>
        _cacheEvictions.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Reports the in-process cache's estimated size, read whenever the metrics are collected.</summary>
    public void ObserveCacheMemory(Func<long> estimatedBytes) =>
        _meter.CreateObservableGauge("gateway.cache.memory.size", estimatedBytes, "By", "Estimated heap bytes held by the in-process cache (bounded by Cache:MemoryLimitBytes).");

    /// <summary>One call to the list API (gateway.upstream.calls); <paramref name="outcome"/> is "success", "transport_error" or "http_" and the status code.</summary>
    public void UpstreamCall(string outcome) => _upstreamCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>The steps of a block that is not cached, in order, as the cold-block histogram tags them.</summary>
public enum ColdBlockStep
{
    /// <summary>Looking in memory, until the block is known to be missing there.</summary>
    Lookup,

    /// <summary>The round trip that looked in Redis and won the single-flight claim there (only with Redis).</summary>
    Claim,

    /// <summary>Taking a permit from the caller's upstream budget, queueing included.</summary>
    Budget,

    /// <summary>The upstream call, retries included.</summary>
    Upstream,

    /// <summary>Writing the block and its instances to the caches, Redis included.</summary>
    Publish,
}
