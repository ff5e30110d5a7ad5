using System.Diagnostics.Metrics;

namespace Gateway.Telemetry;

/// <summary>
/// The gateway's own OpenTelemetry instruments. Tags are low-cardinality outcomes only:
/// never a token, a workspace or a project id.
/// </summary>
public sealed class GatewayMetrics
{
    public const string MeterName = "QualityGateway";

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _cacheL2Errors;
    private readonly Counter<long> _upstreamCalls;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("gateway.cache.hits", "{block}", "Upstream blocks served from the cache (memory or Redis).");
        _cacheMisses = meter.CreateCounter<long>("gateway.cache.misses", "{block}", "Upstream blocks that had to be fetched (cold, expired or refreshed).");
        _cacheL2Errors = meter.CreateCounter<long>("gateway.cache.l2.errors", "{operation}", "Redis operations that failed or were skipped while Redis was unhealthy.");
        _upstreamCalls = meter.CreateCounter<long>("gateway.upstream.calls", "{call}", "Calls to the DataArts Quality list API, by outcome.");
    }

    public void CacheHit() => _cacheHits.Add(1);

    public void CacheMiss() => _cacheMisses.Add(1);

    public void CacheL2Error(string operation) => _cacheL2Errors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void UpstreamCall(string outcome) => _upstreamCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}
