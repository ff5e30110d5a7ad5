namespace Gateway.Caching;

public static class CachingServiceCollectionExtensions
{
    public static IServiceCollection AddBlockCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CacheOptions>()
            .Bind(configuration.GetSection(CacheOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHybridCache();
        services.AddSingleton<InstanceBlockCache>();
        return services;
    }
}
