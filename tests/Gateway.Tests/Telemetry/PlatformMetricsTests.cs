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
        var exported = new List<Metric>();
        await using (var gateway = new GatewayServer(fixture.Emulator.BaseAddress, configure: builder => builder.ConfigureServices(services =>
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(exported)))))
        {
            using var client = new GraphQLClient(gateway.GraphQLEndpoint, Token, "ws-metrics");
            var response = await client.PostAsync("{ qualityTaskInstances(projectId: \"platform-metrics\", first: 2) { totalCount } }");
            Assert.True(response.Errors is null, response.ToString());
            gateway.Services.GetRequiredService<MeterProvider>().ForceFlush();
        }

        var names = exported.Select(metric => metric.Name).ToHashSet();
        Assert.Contains("http.server.request.duration", names);
        Assert.Contains("http.client.request.duration", names);
        Assert.Contains(names, name => name.StartsWith("dotnet.gc.", StringComparison.Ordinal) || name.StartsWith("process.runtime.dotnet.", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("gateway.", StringComparison.Ordinal));
        foreach (var metric in exported)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                foreach (var tag in point.Tags)
                {
                    Assert.DoesNotContain(Token, tag.Value?.ToString() ?? "", StringComparison.Ordinal);
                }
            }
        }
    }
}
