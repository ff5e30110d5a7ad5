using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Telemetry;

/// <summary>Composes the Telemetry folder: the gateway's meter and spans, the platform's instrumentation, and the OTLP exporter.</summary>
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
            // The platform's own signals beside the gateway's, as eShop's ServiceDefaults adds
            // them: request and HttpClient durations, GC, thread pool and JIT. None of them
            // records headers, so the caller's token reaches no tag.
            .WithMetrics(metrics => metrics
                .AddMeter(GatewayMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddSource("GraphQL", GatewayActivities.SourceName));
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }
}
