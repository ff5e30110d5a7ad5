using Microsoft.Extensions.Options;
using Refit;

namespace Gateway.Upstream;

public static class UpstreamServiceCollectionExtensions
{
    /// <summary>The Refit client for the list call, its options, and the embedded emulator when no base URL is set.</summary>
    public static IServiceCollection AddQualityUpstream(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UpstreamOptions>()
            .Bind(configuration.GetSection(UpstreamOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var baseAddress = configuration.GetSection(UpstreamOptions.Section).Get<UpstreamOptions>()?.BaseUrl;
        if (baseAddress is null)
        {
            baseAddress = EmbeddedEmulatorHost.ReserveLoopbackAddress();
            var address = baseAddress;
            services.AddHostedService(provider => ActivatorUtilities.CreateInstance<EmbeddedEmulatorHost>(provider, address));
        }

        services.AddRefitGeneratedClient<IQualityInstancesApi>(UpstreamJsonContext.Default)
            .ConfigureHttpClient((provider, client) =>
            {
                client.BaseAddress = baseAddress;
                client.Timeout = provider.GetRequiredService<IOptions<UpstreamOptions>>().Value.Timeout;
            })

            // The client lives in singletons, so the pool itself recycles connections (DNS
            // changes are picked up) instead of the factory rotating handlers.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<QualityInstancesClient>();
        return services;
    }
}
