using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway (its Program.cs composition root) on Kestrel, on a free loopback port:
/// tests talk to it over real HTTP, like any client.
/// </summary>
public sealed class GatewayServer : WebApplicationFactory<Program>
{
    public const string CursorSecret = "test-cursor-secret-shared-by-replicas";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IWebHostBuilder>? _configure;

    public GatewayServer(Uri upstream, IDictionary<string, string?>? settings = null, Action<IWebHostBuilder>? configure = null)
    {
        _configure = configure;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Upstream:BaseUrl"] = upstream.ToString(),
            ["Paging:CursorSecret"] = CursorSecret,
            ["Logging:LogLevel:Default"] = "Warning",

            // Tests send far more traffic per token than a person would, and inject faults on
            // purpose; the tests of the budget and the circuit breaker set their own limits.
            ["Upstream:Budget:PermitLimit"] = "100000",
            ["Upstream:CircuitBreaker:MinimumThroughput"] = "100000",

            // Every in-process gateway of a test run shares one JIT, so a warm-up pass per
            // gateway would only add time, and its requests would show in the meters tests
            // read. The warm-up's own tests (Hosting/StartupWarmupTests) switch it back on.
            ["Warmup:Enabled"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }

        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }

    /// <summary>
    /// Runs the gateway on <paramref name="time"/> wherever it takes a TimeProvider (cache
    /// freshness, response reuse, the upstream pipeline's breaker and timeouts), so a test steers
    /// those clocks instead of sleeping. Expiry inside Redis and MemoryCache stays on real time.
    /// </summary>
    public static Action<IWebHostBuilder> OnClock(TimeProvider time) =>
        builder => builder.ConfigureTestServices(services => services.AddSingleton(time));

    public Uri GraphQLEndpoint => new(BaseAddress, "/graphql");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        _configure?.Invoke(builder);
    }
}
