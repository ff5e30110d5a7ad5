using System.Net;
using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using Gateway.Warmup;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QualityApi.Emulator;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The start-up warm-up pass (Warmup:*): readiness waits for it, it goes through the real
/// endpoint, cold blocks included, without calling the upstream, and it leaves nothing behind in
/// the block cache.
/// Whether it makes the first seconds faster is measured by the load script, not here.
/// </summary>
public sealed class StartupWarmupTests
{
    [Fact]
    public async Task Ready_comes_after_the_pass_which_never_calls_the_upstream_and_leaves_no_block_behind()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        var logs = new CapturingLoggerProvider();
        await using var gateway = new GatewayServer(
            emulator.BaseAddress,
            new Dictionary<string, string?> { ["Warmup:Enabled"] = "true", ["Warmup:Duration"] = "00:00:00.500", ["Logging:LogLevel:Gateway.Warmup"] = "Information" },
            builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        await Eventually.UntilAsync(
            async () => (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(30),
            "the gateway did not turn ready after its warm-up pass");

        var line = Assert.Single(logs.Lines, line => line.Contains("Warmed up with", StringComparison.Ordinal));
        Assert.DoesNotContain("Warmed up with 0 requests", line, StringComparison.Ordinal);

        // Cold blocks too (the whole cold path), their upstream calls answered in process:
        // the emulator saw none of them.
        Assert.DoesNotContain("(0 cold blocks", line, StringComparison.Ordinal);
        Assert.Equal(0, emulator.Control.ListCalls);
        Assert.Equal(0, gateway.Services.GetRequiredService<LocalCache>().Count);
    }

    [Fact]
    public async Task While_the_pass_runs_the_replica_is_live_but_not_ready_and_it_stops_cleanly()
    {
        await using var emulator = await EmulatorServer.StartAsync();
        await using var gateway = new GatewayServer(
            emulator.BaseAddress,
            new Dictionary<string, string?> { ["Warmup:Enabled"] = "true", ["Warmup:Duration"] = "00:00:30" });
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };

        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        using var live = await http.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(0, emulator.Control.ListCalls);
    }

    [Theory]
    [InlineData("http://[::]:8080", "http://127.0.0.1:8080/")]
    [InlineData("http://0.0.0.0:5080", "http://127.0.0.1:5080/")]
    [InlineData("http://localhost:5000", "http://127.0.0.1:5000/")]
    [InlineData("http://10.1.2.3:80", "http://10.1.2.3/")]
    [InlineData("https://[::]:8443", null)]
    [InlineData("http://unix:/run/gateway.sock", null)]
    public void The_pass_goes_to_the_first_plain_HTTP_address_on_loopback(string listening, string? expected)
    {
        var server = new ListeningServer(listening);

        Assert.Equal(expected, StartupWarmup.LoopbackAddress(server)?.ToString());
    }

    private sealed class ListeningServer : IServer
    {
        public ListeningServer(string address)
        {
            var addresses = new ServerAddressesFeature();
            addresses.Addresses.Add(address);
            Features.Set<IServerAddressesFeature>(addresses);
        }

        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
