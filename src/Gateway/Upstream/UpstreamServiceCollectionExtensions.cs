using Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Gateway.Upstream;

/// <summary>Composes the Upstream folder: where calls go, the client, its resilience and the per-caller budget.</summary>
public static class UpstreamServiceCollectionExtensions
{
    /// <summary>The Refit client for the list call, its options, and the embedded emulator when it is the upstream.</summary>
    public static IServiceCollection AddQualityUpstream(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var target = UpstreamTarget.Resolve(configuration, environment);
        services.AddValidatedOptions<UpstreamOptions, UpstreamOptionsValidator>(UpstreamOptions.Section)
            .Validate(_ => target.Problem is null, target.Problem ?? "")
            .Validate(options => options.Timeout <= options.Deadline, "Upstream:Timeout (one attempt) may not exceed Upstream:Deadline (all attempts).")
            .Validate(options => options.Retry.MaxRetryAfter < options.Deadline, "Upstream:Retry:MaxRetryAfter must be shorter than Upstream:Deadline.");

        var baseAddress = target.BaseAddress;
        if (target.Emulated)
        {
            baseAddress = EmbeddedEmulatorHost.ReserveLoopbackAddress();
            var address = baseAddress;
            services.AddHostedService(provider => ActivatorUtilities.CreateInstance<EmbeddedEmulatorHost>(provider, address));

            // Any project id has data in the emulator, so the first query needs none.
            services.PostConfigure<UpstreamOptions>(options =>
            {
                if (string.IsNullOrEmpty(options.DefaultProjectId))
                {
                    options.DefaultProjectId = UpstreamOptions.EmulatorDefaultProjectId;
                }
            });
        }

        services.AddRefitGeneratedClient<IQualityInstancesApi>(UpstreamJsonContext.Default)
            .ConfigureHttpClient((provider, client) =>
            {
                // Timeouts belong to the resilience pipeline (per attempt and per call); this
                // is only a backstop behind the deadline.
                client.BaseAddress = baseAddress;
                client.Timeout = provider.GetRequiredService<IOptions<UpstreamOptions>>().Value.Deadline + TimeSpan.FromSeconds(5);
            })
            .AddUpstreamResilience()

            // Innermost, so the warm-up's rehearsal answers run through the resilience pipeline.
            .AddHttpMessageHandler<UpstreamRehearsalHandler>()

            // The client lives in singletons, so the pool itself recycles connections (DNS
            // changes are picked up) instead of the factory rotating handlers.
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<UpstreamBudget>();
        services.TryAddSingleton<IUpstreamBudget>(provider => provider.GetRequiredService<UpstreamBudget>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<QualityInstancesClient>();
        services.AddSingleton<UpstreamRehearsal>();
        services.AddTransient<UpstreamRehearsalHandler>();
        return services;
    }
}
