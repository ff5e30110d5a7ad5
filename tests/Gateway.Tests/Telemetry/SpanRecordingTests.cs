using Gateway.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gateway.Tests.Telemetry;

/// <summary>Spans are recorded only when something exports them; metrics always are.</summary>
public sealed class SpanRecordingTests
{
    [Fact]
    public void Without_an_exporter_no_tracer_provider_records_spans_but_metrics_are_kept()
    {
        using var provider = Compose(exporterEndpoint: null);

        Assert.Null(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());
    }

    [Fact]
    public void With_an_exporter_a_tracer_provider_records_spans()
    {
        // No span is started here, so nothing is exported and the endpoint is never called.
        using var provider = Compose(exporterEndpoint: "http://127.0.0.1:9");

        Assert.NotNull(provider.GetService<TracerProvider>());
    }

    private static ServiceProvider Compose(string? exporterEndpoint)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = exporterEndpoint })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddGatewayTelemetry(configuration);
        return services.BuildServiceProvider();
    }
}
