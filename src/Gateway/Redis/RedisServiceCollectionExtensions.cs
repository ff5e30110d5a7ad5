using Gateway.Hosting;
using Gateway.Telemetry;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Redis;

/// <summary>Composes the Redis folder: its options, the connection and the gate that every Redis caller uses.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="RedisGate"/> every Redis caller goes through: with Redis:Configuration, over
    /// one connection opened at start-up, and HybridCache's Redis level behind it; without, a
    /// disabled gate that answers every command with no reply, so no caller asks the container
    /// whether Redis exists.
    /// </summary>
    public static IServiceCollection AddRedisGate(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions, RedisOptionsValidator>(RedisOptions.Section)
            .Validate(options => options.FailureBackoff <= options.MaxFailureBackoff, "Redis:FailureBackoff (the first wait) may not exceed Redis:MaxFailureBackoff (the longest).");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RedisKeys>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("cache", tags: ["ready"]);

        // Read while composing, once: whether HybridCache gets a Redis level at all is decided
        // by registration (it looks for an IDistributedCache when it is built).
        if (string.IsNullOrWhiteSpace(configuration.ReadWhileComposing<RedisOptions>(RedisOptions.Section).Configuration))
        {
            services.AddSingleton(provider => Gate(provider, connection: null));
            return services;
        }

        services.AddSingleton<RedisConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<RedisConnection>());
        services.AddSingleton(provider => Gate(provider, provider.GetRequiredService<RedisConnection>()));
        services.AddSingleton<IDistributedCache>(provider =>
        {
            var gate = provider.GetRequiredService<RedisGate>();
            var redis = new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConnectionMultiplexerFactory = gate.ConnectAsync,
                InstanceName = gate.Keys.Prefix,
            }));
            return new GatedDistributedCache(redis, gate);
        });
        return services;
    }

    private static RedisGate Gate(IServiceProvider provider, RedisConnection? connection) => new(
        connection,
        provider.GetRequiredService<RedisKeys>(),
        provider.GetRequiredService<GatewayMetrics>(),
        provider.GetRequiredService<TimeProvider>(),
        provider.GetRequiredService<IOptions<RedisOptions>>(),
        provider.GetRequiredService<ILogger<RedisGate>>());
}
