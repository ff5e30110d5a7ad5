using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Reliability;

/// <summary>An emulator of its own (its faults affect nobody else) and a gateway with short, known limits.</summary>
public sealed class FaultFixture : IAsyncLifetime
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public static Dictionary<string, string?> Settings => new()
    {
        ["Upstream:Timeout"] = "00:00:00.500",
        ["Upstream:Deadline"] = Deadline.ToString(),
        ["Upstream:Retry:MaxRetries"] = "2",
        ["Upstream:Retry:BaseDelay"] = "00:00:00.050",
        ["Upstream:Retry:MaxRetryAfter"] = "00:00:01.500",
    };

    private EmulatorServer? _emulator;
    private GatewayServer? _gateway;

    public EmulatorServer Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

    public GatewayServer Gateway => _gateway ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions { InstancesPerProject = 250, Tokens = [GraphQLClient.DefaultToken] });
        _gateway = new GatewayServer(_emulator.BaseAddress, Settings);
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }
    }

    public int CallsFor(string projectId) => Emulator.Control.CallsFor(projectId);
}
