using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Telemetry;

public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Traces (HTTP request -> GraphQL operation -> cache -> upstream call, with traceparent
    /// propagated to the upstream by HttpClient) and metrics through OpenTelemetry. The OTLP
    /// exporter is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT variable and
    /// configured by the other OTEL_* variables.
    /// </summary>
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<GatewayMetrics>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("quality-gateway"))
            .WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName))
            .WithTracing(tracing => tracing.AddSource("Microsoft.AspNetCore", "GraphQL", GatewayActivities.SourceName, "System.Net.Http"));
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
