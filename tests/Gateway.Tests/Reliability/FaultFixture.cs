using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Reliability;

/// <summary>An emulator of its own (its faults affect nobody else) and a gateway with short, known limits.</summary>
public sealed class FaultFixture : FixtureLifecycle
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

    public EmulatorServer Emulator => Require(_emulator);

    public GatewayServer Gateway => Require(_gateway);

    protected override async Task StartAsync()
    {
        _emulator = Started(await EmulatorServer.StartAsync(new EmulatorOptions { InstancesPerProject = 250, Tokens = [GraphQLClient.DefaultToken] }));
        _gateway = Started(new GatewayServer(_emulator.BaseAddress, Settings));
    }

    public int CallsFor(string projectId) => Emulator.Control.CallsFor(projectId);
}
