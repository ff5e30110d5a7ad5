using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Redis;

/// <summary>
/// Readiness of the shared cache. Redis being away is Degraded, not Unhealthy: the gateway
/// still answers every query (from memory and the upstream), so it must stay in rotation.
/// </summary>
public sealed class RedisHealthCheck(RedisGate gate) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!gate.IsEnabled)
        {
            return HealthCheckResult.Healthy("In-memory cache only (Redis:Configuration is not set).");
        }

        return await gate.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Redis answers.")
            : HealthCheckResult.Degraded($"Redis is unreachable since {gate.FailingSince:O}; serving from memory and the upstream.");
    }
}
