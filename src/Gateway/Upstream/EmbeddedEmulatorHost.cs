using System.Net;
using System.Net.Sockets;
using QualityApi.Emulator;

namespace Gateway.Upstream;

/// <summary>
/// In Development without Upstream:BaseUrl, or with Upstream:UseEmulator, the gateway serves the
/// emulator on a loopback port of its own and calls it over real HTTP, so the default run
/// exercises the same client code as production.
/// </summary>
public sealed partial class EmbeddedEmulatorHost(Uri address, IConfiguration configuration, ILogger<EmbeddedEmulatorHost> logger) : IHostedService, IAsyncDisposable
{
    private EmulatorServer? _server;

    /// <summary>
    /// A free loopback port, chosen while the services are composed so the upstream client
    /// knows its base address before anything starts.
    /// </summary>
    public static Uri ReserveLoopbackAddress()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = configuration.GetSection("Emulator").Get<EmulatorOptions>() ?? new EmulatorOptions();
        _server = await EmulatorServer.StartAsync(options, address.ToString().TrimEnd('/'), cancellationToken);
        LogEmbedded(logger, _server.BaseAddress);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Serving the DataArts Quality emulator's synthetic data in-process at {BaseAddress} and sending every upstream call there (Development without Upstream:BaseUrl, or Upstream:UseEmulator). Set Upstream:BaseUrl or Upstream:Region to call the real service.")]
    private static partial void LogEmbedded(ILogger logger, Uri baseAddress);
}
