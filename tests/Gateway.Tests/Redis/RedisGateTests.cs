using System.Diagnostics.Metrics;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Gateway.Tests.Redis;

/// <summary>
/// The one way to Redis, against a real redis-server, with its timeouts and backoff on a steered
/// clock: what every Redis caller gets when Redis is missing, stalled or failing.
/// </summary>
public sealed class RedisGateTests
{
    private static readonly TimeSpan OperationTimeout = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CoordinationTimeout = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Without_configuration_the_gate_sends_nothing_and_the_cache_has_no_redis_level()
    {
        await using var services = Compose(redisConfiguration: null, out var lines);
        var gate = services.GetRequiredService<RedisGate>();
        using var failures = Failures(services);

        var reply = await gate.RunAsync<string>(RedisTraffic.Coordination, "claim", _ => throw new InvalidOperationException("no command may run"), CancellationToken.None);

        Assert.False(gate.IsEnabled);
        Assert.False(reply.Answered);
        Assert.Null(services.GetService<IDistributedCache>());
        Assert.Null(services.GetService<RedisConnection>());
        Assert.Empty(failures.GetMeasurementSnapshot());
        Assert.DoesNotContain(lines.Lines, line => line.Contains("Redis is failing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_command_gets_its_answer_and_keys_carry_the_instance_name()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = Compose(redis.Configuration, out _);
        var gate = await ConnectedAsync(services);

        var written = await gate.RunAsync(RedisTraffic.Cache, "set", database => database.StringSetAsync(gate.Keys.WarmUp, "x"), CancellationToken.None);
        var read = await gate.RunAsync(RedisTraffic.Cache, "get", async database => (string?)await database.StringGetAsync(gate.Keys.WarmUp), CancellationToken.None);

        Assert.Equal(new RedisReply<bool>(true, true), written);
        Assert.Equal(new RedisReply<string?>(true, "x"), read);
        Assert.Equal("quality-gateway:qg1:warm-up", gate.Keys.WarmUp.ToString());
        Assert.Contains((gate.Keys.WarmUp.ToString(), "x"), await redis.DumpAsync());
    }

    [Fact]
    public async Task Against_a_stalled_redis_a_cache_command_gives_up_at_its_timeout_and_a_coordinating_one_at_its_own()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = Compose(redis.Configuration, out _);
        var gate = await ConnectedAsync(services);
        using var failures = Failures(services);
        await redis.SignalAsync(pause: true);
        try
        {
            var read = gate.RunAsync(RedisTraffic.Cache, "get", database => database.StringGetAsync("k"), CancellationToken.None);
            var claim = gate.RunAsync(RedisTraffic.Coordination, "claim", database => database.StringGetAsync("k"), CancellationToken.None);
            Assert.False(read.IsCompleted);

            _time.Advance(OperationTimeout);
            Assert.False((await read).Answered);
            Assert.False(claim.IsCompleted, "a coordinating command must get longer than a cache read");

            _time.Advance(CoordinationTimeout - OperationTimeout);
            Assert.False((await claim).Answered);
            Assert.Equal(["cache/get", "coordination/claim"], failures.GetMeasurementSnapshot().Select(m => $"{m.Tags["traffic"]}/{m.Tags["operation"]}").Order());
        }
        finally
        {
            await redis.SignalAsync(pause: false);
        }
    }

    [Fact]
    public async Task After_three_failures_redis_is_left_alone_then_one_command_probes_it_and_the_outage_is_logged_once()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var services = Compose(redis.Configuration, out var lines);
        var gate = await ConnectedAsync(services);
        var sent = 0;
        Task<RedisValue> Failing(IDatabase database)
        {
            Interlocked.Increment(ref sent);
            throw new RedisException("simulated");
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await gate.RunAsync(RedisTraffic.Cache, "get", Failing, CancellationToken.None)).Answered);
        }

        Assert.Equal(3, sent);
        Assert.NotNull(gate.FailingSince);
        Assert.Single(lines.Lines, line => line.Contains("Redis is failing", StringComparison.Ordinal));

        // After Redis:FailureBackoff one command finds out, and a working Redis ends the outage.
        _time.Advance(TimeSpan.FromMilliseconds(500));
        var probe = await gate.RunAsync(RedisTraffic.Coordination, "budget", async database =>
        {
            await database.PingAsync();
            return "pong";
        }, CancellationToken.None);
        Assert.Equal(new RedisReply<string>(true, "pong"), probe);
        Assert.Null(gate.FailingSince);
        Assert.Single(lines.Lines, line => line.Contains("Redis is back", StringComparison.Ordinal));
    }

    private ServiceProvider Compose(string? redisConfiguration, out CapturingLoggerProvider lines)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redisConfiguration,
            ["Redis:OperationTimeout"] = OperationTimeout.ToString(),

            // The client's own timeout is the longer of the two; the gate must cut in first.
            ["Redis:CoordinationTimeout"] = CoordinationTimeout.ToString(),
        }).Build();
        var captured = lines = new CapturingLoggerProvider();
        return new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(captured))
            .AddMetrics()
            .AddSingleton<GatewayMetrics>()
            .AddSingleton<TimeProvider>(_time)
            .AddSingleton<IConfiguration>(configuration)
            .AddRedisGate(configuration)
            .BuildServiceProvider();
    }

    private static async Task<RedisGate> ConnectedAsync(ServiceProvider services)
    {
        var gate = services.GetRequiredService<RedisGate>();
        await gate.ConnectAsync();
        await Eventually.UntilAsync(() => Task.FromResult(gate.IsConnected), TimeSpan.FromSeconds(10), "the gate never connected");
        return gate;
    }

    private static MetricCollector<long> Failures(ServiceProvider services) =>
        new(services.GetRequiredService<IMeterFactory>(), GatewayMetrics.MeterName, "gateway.redis.failures");
}
