using System.Diagnostics;

namespace Gateway.Telemetry;

/// <summary>The gateway's own spans (cache lookups), between GraphQL.NET's and HttpClient's.</summary>
public static class GatewayActivities
{
    public const string SourceName = "QualityGateway";

    public static ActivitySource Source { get; } = new(SourceName);
}
