using System.Diagnostics;

namespace Gateway.Telemetry;

/// <summary>The gateway's own spans (cache lookups), between GraphQL.NET's and HttpClient's.</summary>
public static class GatewayActivities
{
    /// <summary>The ActivitySource name ("QualityGateway") that the tracer provider listens to.</summary>
    public const string SourceName = "QualityGateway";

    /// <summary>The one source of the gateway's spans (e.g. "cache block").</summary>
    public static ActivitySource Source { get; } = new(SourceName);
}
