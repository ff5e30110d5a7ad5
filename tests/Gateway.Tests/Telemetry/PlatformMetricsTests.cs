using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Gateway.Tests.Telemetry;

/// <summary>The platform's own metrics go out beside the gateway's, and none of their tags carries the caller's token.</summary>
[Collection(GatewayCollection.Name)]
public sealed class PlatformMetricsTests(GatewayFixture fixture)
{
    private const string Token = GatewayFixture.SecondToken;

    [Fact]
    public async Task Requests_upstream_calls_and_the_runtime_are_measured_without_the_token()
    {
        // Exports happen only when this test flushes (no periodic export), and the points are
        // copied (snapshots) before the gateway is disposed: the reader's own thread and the
        // shutdown's final export then never write while the assertions read.
        var exported = new List<MetricSnapshot>();
        MetricSnapshot[] flushed;
        await using (var gateway = new GatewayServer(fixture.Emulator.BaseAddress, configure: builder => builder.ConfigureServices(services =>
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported, reader =>
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = Timeout.Infinite)))))
        {
            using var client = new GraphQLClient(gateway.GraphQLEndpoint, Token, "ws-metrics");
            var response = await client.PostAsync("{ qualityTaskInstances(projectId: \"platform-metrics\", first: 2) { totalCount } }");
            Assert.True(response.Errors is null, response.ToString());
            Assert.True(gateway.Services.GetRequiredService<MeterProvider>().ForceFlush(), "the meter provider did not flush");
            flushed = [.. exported];
        }

        var names = flushed.Select(metric => metric.Name).ToHashSet();
        Assert.Contains("http.server.request.duration", names);
        Assert.Contains("http.client.request.duration", names);
        Assert.Contains(names, name => name.StartsWith("dotnet.gc.", StringComparison.Ordinal) || name.StartsWith("process.runtime.dotnet.", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("gateway.", StringComparison.Ordinal));
        foreach (var point in flushed.SelectMany(metric => metric.MetricPoints))
        {
            foreach (var tag in point.Tags)
            {
                Assert.DoesNotContain(Token, tag.Value?.ToString() ?? "", StringComparison.Ordinal);
            }
        }
    }
}
