using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Caching;

[Collection(CacheCollection.Name)]
public sealed class CacheMetricsTests(CacheFixture fixture)
{
    [Fact]
    public async Task Hits_misses_l2_errors_and_upstream_calls_are_counted()
    {
        // Redis is pointed at a closed port, so every Redis operation is an L2 error.
        await using var gateway = fixture.Gateway(redisConfiguration: $"127.0.0.1:{RedisServer.FreePort()}");
        var totals = new ConcurrentDictionary<string, long>();
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // Only this gateway's instruments: other gateways in the test run share the meter name.
                if (instrument.Meter.Name == "QualityGateway" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        listener.Start();
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-metrics");

        // Two different requests for the same block: the same bytes again would be answered
        // from the reused response, without asking the block cache at all.
        await client.PostAsync("{ qualityTaskInstances(projectId: \"metrics\", first: 5) { totalCount } }");
        await client.PostAsync("{ qualityTaskInstances(projectId: \"metrics\", first: 4) { totalCount } }");

        Assert.Equal(1, totals.GetValueOrDefault("gateway.cache.misses"));
        Assert.Equal(1, totals.GetValueOrDefault("gateway.cache.hits"));
        Assert.Equal(1, totals.GetValueOrDefault("gateway.upstream.calls"));
        Assert.True(totals.GetValueOrDefault("gateway.cache.l2.errors") >= 1, "a failed Redis read must be counted");
    }
}
