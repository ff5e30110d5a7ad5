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
        using var listener = Listen(gateway);
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
        Assert.True(totals.GetValueOrDefault("gateway.redis.failures") >= 1, "a failed Redis read must be counted");
    }

    [Fact]
    public async Task A_fetched_block_times_each_of_its_steps_once_and_a_cached_block_none()
    {
        await using var gateway = fixture.Gateway();
        var steps = new ConcurrentQueue<(string Step, double Seconds)>();
        using var listener = Listen(gateway);
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            if (instrument.Name == "gateway.cache.cold_block.step.duration")
            {
                steps.Enqueue(((string)tags.ToArray().Single(tag => tag.Key == "step").Value!, value));
            }
        });
        listener.Start();
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-steps");

        await client.PostAsync("{ qualityTaskInstances(projectId: \"steps\", first: 5) { totalCount } }");

        // The claim takes the budget permit in its round trip (no budget step of its own), and
        // the publish comes after the answer: waited for.
        await Eventually.UntilAsync(() => Task.FromResult(steps.Count >= 4), TimeSpan.FromSeconds(5), "the publish step was never timed");
        Assert.Equal(["claim", "lookup", "publish", "upstream"], steps.Select(step => step.Step).Order(StringComparer.Ordinal));
        Assert.All(steps, step => Assert.InRange(step.Seconds, double.Epsilon, 10));

        steps.Clear();
        await client.PostAsync("{ qualityTaskInstances(projectId: \"steps\", first: 4) { totalCount } }");
        Assert.Empty(steps);
    }

    [Fact]
    public async Task Without_Redis_a_fetched_block_publishes_nothing()
    {
        await using var gateway = fixture.Gateway(redisConfiguration: "");
        var steps = new ConcurrentQueue<string>();
        using var listener = Listen(gateway);
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) =>
        {
            if (instrument.Name == "gateway.cache.cold_block.step.duration")
            {
                steps.Enqueue((string)tags.ToArray().Single(tag => tag.Key == "step").Value!);
            }
        });
        listener.Start();
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-steps-memory");

        await client.PostAsync("{ qualityTaskInstances(projectId: \"steps-memory\", first: 5) { totalCount } }");

        // A publish would start the moment the block was returned; by the time a second request
        // has been answered from memory, it would have been timed.
        await client.PostAsync("{ qualityTaskInstances(projectId: \"steps-memory\", first: 4) { totalCount } }");
        Assert.Equal(["budget", "lookup", "upstream"], steps.Order(StringComparer.Ordinal));
    }

    /// <summary>Listens to this gateway's instruments only: other gateways in the test run share the meter name.</summary>
    private static MeterListener Listen(GatewayServer gateway)
    {
        var meters = gateway.Services.GetRequiredService<IMeterFactory>();
        return new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "QualityGateway" && ReferenceEquals(instrument.Meter.Scope, meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
    }
}
