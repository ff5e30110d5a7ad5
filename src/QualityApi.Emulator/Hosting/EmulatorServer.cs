using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace QualityApi.Emulator;

/// <summary>
/// The emulator on a real Kestrel socket inside the current process, for tests and for the
/// gateway's embedded default. Real HTTP (not TestServer) so timeouts, aborted connections and
/// the client's own handler stack behave as against the real service.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private int disposed;

    private EmulatorServer(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Control = app.Services.GetRequiredService<EmulatorControl>();
    }

    /// <summary>Root of the emulator with the port actually bound, ending in '/', e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Latency, faults, counters and data sets of this instance.</summary>
    public EmulatorControl Control { get; }

    /// <summary>Starts an emulator; the default URL takes a free loopback port.</summary>
    /// <exception cref="ArgumentException">An option is out of range or the URL is empty.</exception>
    public static async Task<EmulatorServer> StartAsync(
        EmulatorOptions? options = null,
        string url = "http://127.0.0.1:0",
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        var app = EmulatorHost.CreateInProcess(options ?? new EmulatorOptions(), url);
        try
        {
            await app.StartAsync(cancellationToken);
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            return new EmulatorServer(app, ToBaseAddress(address));
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server, dropping calls still waiting on latency or a Slow fault.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await app.StopAsync();
        await app.DisposeAsync();
    }

    // Kestrel reports wildcard hosts as bound ("http://[::]:5081"); a client needs a loopback one.
    private static Uri ToBaseAddress(string address)
    {
        var builder = new UriBuilder(address.Replace("://+:", "://0.0.0.0:", StringComparison.Ordinal)
            .Replace("://*:", "://0.0.0.0:", StringComparison.Ordinal));
        builder.Host = builder.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            var host => host,
        };
        builder.Path = "/";
        return builder.Uri;
    }
}
