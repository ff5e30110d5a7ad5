using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Telemetry;

/// <summary>Composes the Telemetry folder: the gateway's meter and spans, the platform's instrumentation, and the OTLP exporter.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Metrics through OpenTelemetry, and traces (HTTP request -> GraphQL operation -> cache ->
    /// upstream call, with traceparent propagated to the upstream by HttpClient) once they are
    /// exported. The OTLP exporter is switched on by the standard OTEL_EXPORTER_OTLP_ENDPOINT
    /// variable and configured by the other OTEL_* variables.
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
                .AddRuntimeInstrumentation());

        // Spans are recorded only when they go somewhere. Without a listener no Activity is
        // created for the request, the GraphQL operation, the cache block or the upstream call;
        // with OpenTelemetry's, every request pays for four of them and their tags, read by
        // nobody when nothing exports (docs/operations.md has the measured cost).
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.WithTracing(tracing => tracing
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddSource("GraphQL", GatewayActivities.SourceName))
                .UseOtlpExporter();
        }

        return services;
    }
}
