using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace QualityApi.Emulator;

/// <summary>Registers the emulator in any app; pair with <see cref="EmulatorEndpointRouteBuilderExtensions.MapQualityApiEmulator"/>.</summary>
public static class EmulatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the emulator's services, <see cref="EmulatorControl"/> among them (resolve it to
    /// drive the emulator). <paramref name="options"/> is validated and copied here; later
    /// changes to it have no effect.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public static IServiceCollection AddQualityApiEmulator(this IServiceCollection services, EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        var settings = EmulatorSettings.From(options);

        services.AddRoutingCore();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton(_ => new DatasetStore(settings));
        services.AddSingleton(sp => new EmulatorControl(
            settings,
            sp.GetRequiredService<DatasetStore>(),
            sp.GetService<ILogger<EmulatorControl>>() ?? NullLogger<EmulatorControl>.Instance,
            sp.GetRequiredService<TimeProvider>()));
        if (settings.AutoRunIntervalMilliseconds > 0)
        {
            services.AddHostedService(sp => new AutoRunner(sp.GetRequiredService<EmulatorControl>(), settings, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => new TokenThrottle(settings, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new InstancesEndpoint(
            settings,
            sp.GetRequiredService<EmulatorControl>(),
            sp.GetRequiredService<DatasetStore>(),
            sp.GetRequiredService<TokenThrottle>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IHostApplicationLifetime>()));
        return services;
    }
}
