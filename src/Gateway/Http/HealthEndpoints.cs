namespace Gateway.Http;

/// <summary>The probes an orchestrator calls: liveness and readiness, outside GraphQL.</summary>
public static class HealthEndpoints
{
    /// <summary>
    /// /health/live: the process answers. /health/ready: its dependencies are checked
    /// (Degraded still answers 200, so a replica without Redis stays in rotation).
    /// </summary>
    public static IEndpointRouteBuilder MapGatewayHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }
}
