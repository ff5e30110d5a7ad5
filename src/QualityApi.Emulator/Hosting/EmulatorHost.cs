using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace QualityApi.Emulator;

/// <summary>Builds the emulator app; Program.cs and <see cref="EmulatorServer"/> differ only in where settings come from.</summary>
internal static class EmulatorHost
{
    public const string ConfigurationSection = "Emulator";
    public const string DefaultUrl = "http://127.0.0.1:5081";

    /// <summary>Reads the usual sources (appsettings, environment, command line); binds from --urls / ASPNETCORE_URLS.</summary>
    public static WebApplication CreateStandalone(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        if (!HasConfiguredEndpoints(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        // Keeps the "Now listening on" line, the one line a person running it needs.
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        var options = builder.Configuration.GetSection(ConfigurationSection).Get<EmulatorOptions>() ?? new EmulatorOptions();
        return Build(builder, options);
    }

    /// <summary>
    /// Reads no configuration at all: the host process (a test, the gateway) may have its own
    /// appsettings, Kestrel endpoints or ASPNETCORE_URLS, none of which is meant for the emulator.
    /// </summary>
    public static WebApplication CreateInProcess(EmulatorOptions options, string url)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(url);
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        // The owner stops it by disposing; Ctrl+C and SIGTERM belong to the host process.
        builder.Services.AddSingleton<IHostLifetime, PassiveHostLifetime>();
        return Build(builder, options);
    }

    private static WebApplication Build(WebApplicationBuilder builder, EmulatorOptions options)
    {
        builder.Services.AddQualityApiEmulator(options);
        var app = builder.Build();
        app.MapQualityApiEmulator();
        return app;
    }

    private static bool HasConfiguredEndpoints(ConfigurationManager configuration) =>
        !string.IsNullOrEmpty(configuration[WebHostDefaults.ServerUrlsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpPortsKey])
        || !string.IsNullOrEmpty(configuration[WebHostDefaults.HttpsPortsKey])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    private sealed class PassiveHostLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
