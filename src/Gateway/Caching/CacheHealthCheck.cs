using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Caching;

/// <summary>
/// Readiness of the shared cache. Redis being away is Degraded, not Unhealthy: the gateway
/// still answers every query (from memory and the upstream), so it must stay in rotation.
/// </summary>
public sealed class CacheHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ResilientDistributedCache>() is not { } redis)
        {
            return HealthCheckResult.Healthy("In-memory cache only (Redis:Configuration is not set).");
        }

        return await redis.ProbeAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Redis answers.")
            : HealthCheckResult.Degraded($"Redis is unreachable since {redis.FailingSince:O}; serving from memory and the upstream.");
    }
}
