using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

public static partial class CachingServiceCollectionExtensions
{
    /// <summary>
    /// HybridCache for upstream blocks: an in-process L1 always, and Redis as L2 when
    /// Redis:Configuration is set, behind a wrapper that turns Redis failures into misses.
    /// </summary>
    public static IServiceCollection AddBlockCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CacheOptions>()
            .Bind(configuration.GetSection(CacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var redis = configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() ?? new RedisOptions();
        if (!string.IsNullOrWhiteSpace(redis.Configuration))
        {
            services.AddSingleton(provider => new RedisCache(Options.Create(new RedisCacheOptions
            {
                ConfigurationOptions = ConnectionOptions(redis),
                InstanceName = redis.InstanceName,
            })));
            services.AddSingleton(provider => ActivatorUtilities.CreateInstance<ResilientDistributedCache>(provider, provider.GetRequiredService<RedisCache>()));
            services.AddSingleton<IDistributedCache>(provider => provider.GetRequiredService<ResilientDistributedCache>());
        }

        services.AddHybridCache().AddSerializer<Upstream.InstanceBlock, InstanceBlockSerializer>();
        services.AddSingleton<InstanceBlockCache>();
        services.AddHostedService<CacheModeLogger>();
        services.AddHealthChecks().AddCheck<CacheHealthCheck>("cache", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Short timeouts and no failing at start-up: a Redis that is down or slow costs a request
    /// at most about one operation timeout, and the multiplexer reconnects in the background.
    /// </summary>
    private static ConfigurationOptions ConnectionOptions(RedisOptions redis)
    {
        var options = ConfigurationOptions.Parse(redis.Configuration!);
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = (int)redis.ConnectTimeout.TotalMilliseconds;
        options.SyncTimeout = (int)redis.OperationTimeout.TotalMilliseconds;
        options.AsyncTimeout = (int)redis.OperationTimeout.TotalMilliseconds;
        options.ConnectRetry = 1;
        options.ReconnectRetryPolicy = new ExponentialRetry((int)redis.FailureBackoff.TotalMilliseconds, (int)redis.MaxFailureBackoff.TotalMilliseconds);
        options.ClientName ??= "quality-gateway";
        return options;
    }

    /// <summary>Says once, at start-up, which cache the gateway runs with.</summary>
    private sealed partial class CacheModeLogger(IOptions<RedisOptions> redis, ILogger<InstanceBlockCache> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(redis.Value.Configuration))
            {
                LogMemoryOnly(logger);
            }
            else
            {
                LogRedis(logger, redis.Value.InstanceName);
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis:Configuration is not set: upstream blocks are cached in this process's memory only, not shared with other replicas.")]
        private static partial void LogMemoryOnly(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Caching upstream blocks in memory and in Redis (key prefix '{InstanceName}').")]
        private static partial void LogRedis(ILogger logger, string instanceName);
    }
}
