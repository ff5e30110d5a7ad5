using Gateway.Hosting;
using Gateway.Paging;
using Gateway.Redis;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>Composes the block cache and what it coordinates across replicas.</summary>
public static partial class CachingServiceCollectionExtensions
{
    /// <summary>Document text that persisted queries may keep in process memory, in UTF-8 bytes.</summary>
    public const long PersistedDocumentBytes = 16L * 1024 * 1024;

    /// <summary>
    /// The cache of upstream blocks and, by id, the instances seen in them: an in-process level always (LocalCache,
    /// bounded by Cache:MemoryLimitBytes), and Redis (<see cref="RedisBlockStore"/>) when Redis:Configuration is set, every
    /// Redis command through the <see cref="RedisGate"/>.
    /// </summary>
    public static IServiceCollection AddBlockCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRedisGate(configuration);
        services.AddValidatedOptions<CacheOptions, CacheOptionsValidator>(CacheOptions.Section)
            .Validate(options => options.VolatileTtl <= options.Ttl, "Cache:VolatileTtl (blocks with unfinished runs) may not exceed Cache:Ttl.")
            .Validate(options => options.LocalTtl <= options.Ttl, "Cache:LocalTtl (the in-process copy) may not exceed Cache:Ttl; lower it together with Cache:Ttl.");

        // Memory is the only level without Redis: a short local lifetime would only cut the TTL short.
        services.AddOptions<CacheOptions>().PostConfigure<RedisGate>((options, gate) =>
        {
            if (!gate.IsEnabled)
            {
                options.LocalTtl = options.Ttl;
            }
        });

        // Replicas share each caller's upstream budget through Redis (each counts alone
        // without it), and, unless a secret is configured, the key that signs cursors.
        services.AddSingleton<RedisUpstreamBudget>();
        services.AddSingleton<IUpstreamBudget>(provider => provider.GetRequiredService<RedisUpstreamBudget>());
        services.AddHostedService<SharedCursorKey>();

        // Blocks and entity lists: the in-process level, bounded by Cache:MemoryLimitBytes.
        services.AddSingleton<LocalCache>();

        // HybridCache holds only persisted query documents (blocks are kept in LocalCache and
        // RedisBlockStore, see InstanceBlockCache). It weighs them by their UTF-8 length; the
        // bound keeps a client registering documents without end from growing it without end.
        services.Configure<MemoryCacheOptions>(options => options.SizeLimit = PersistedDocumentBytes);
        services.AddHybridCache();
        services.AddSingleton<InstanceBlockSerializer>();
        services.AddSingleton<RedisBlockStore>();
        services.AddSingleton<InstanceEntityCache>();
        services.AddValidatedOptions<SingleFlightOptions, SingleFlightOptionsValidator>(SingleFlightOptions.Section)
            .Validate(options => options.RenewInterval * 2 < options.Lease, "Cache:SingleFlight:RenewInterval must be shorter than half of Cache:SingleFlight:Lease, so that a live holder renews its claim at least twice before it could expire.")
            .Validate(options => options.PollInterval < options.Lease, "Cache:SingleFlight:PollInterval must be shorter than Cache:SingleFlight:Lease, so that waiters notice a dead holder's expired claim in time.")
            .Validate<IOptions<UpstreamOptions>>(
                (options, upstream) => options.MaxWait > upstream.Value.Deadline + upstream.Value.Budget.MaxQueueWait,
                "Cache:SingleFlight:MaxWait must be longer than Upstream:Deadline plus Upstream:Budget:MaxQueueWait (the longest a live holder's fetch may take), so that a slow but live fetch is never duplicated.");
        services.AddSingleton<DistributedSingleFlight>();
        services.AddSingleton<BlockRevalidation>();
        services.AddSingleton<InstanceBlockCache>();
        services.AddHostedService<CacheStartup>();
        return services;
    }

    /// <summary>Says once, at start-up, which cache the gateway runs with, and warms Redis up.</summary>
    private sealed partial class CacheStartup(RedisGate gate, HybridCache cache, RedisUpstreamBudget budget, IOptions<PagingOptions> paging, ILogger<InstanceBlockCache> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            if (!gate.IsEnabled)
            {
                LogMemoryOnly(logger);
                if (string.IsNullOrEmpty(paging.Value.CursorSecret))
                {
                    LogProcessCursorKey(logger);
                }

                return;
            }

            LogRedis(logger, gate.Keys.Prefix);

            // One write and one read through HybridCache's Redis level, and the budget's script
            // once: the first request must not pay for first use.
            var warmUp = CacheKeys.Version + ":warm-up";
            await gate.WarmUpAsync("warm-up", async _ =>
            {
                await cache.SetAsync(warmUp, "warm", new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(10), Flags = HybridCacheEntryFlags.DisableLocalCache }, cancellationToken: cancellationToken);
                await cache.GetOrCreateAsync<string?>(warmUp, static _ => ValueTask.FromResult<string?>(null), new HybridCacheEntryOptions { Flags = HybridCacheEntryFlags.DisableLocalCache | HybridCacheEntryFlags.DisableUnderlyingData }, cancellationToken: cancellationToken);
            }, cancellationToken);
            await budget.WarmUpAsync(cancellationToken);
        }
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "Redis:Configuration is not set: upstream blocks are cached in this process's memory only, not shared with other replicas.")]
        private static partial void LogMemoryOnly(ILogger logger);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Paging:CursorSecret is not set and there is no Redis: cursors are signed with a random key of this process, so they stop working when it restarts and any other replica rejects them (INVALID_CURSOR). Fine for one replica; behind a load balancer set Paging:CursorSecret (the same on every replica) or Redis:Configuration.")]
        private static partial void LogProcessCursorKey(ILogger logger);

        [LoggerMessage(Level = LogLevel.Information, Message = "Caching upstream blocks in memory and in Redis (key prefix '{InstanceName}').")]
        private static partial void LogRedis(ILogger logger, string instanceName);
    }
}
