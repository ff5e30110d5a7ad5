using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Scaling;

/// <summary>One redis-server, one emulator and three gateway processes (replicas) sharing them.</summary>
public sealed class ReplicaFixture : IAsyncLifetime
{
    private readonly List<GatewayProcess> _replicas = [];
    private RedisServer? _redis;
    private EmulatorServer? _emulator;

    public EmulatorServer Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

    public IReadOnlyList<GatewayProcess> Replicas => _replicas;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions { InstancesPerProject = 1200, LatencyMilliseconds = 100 });
        var settings = new Dictionary<string, string>
        {
            ["Upstream:BaseUrl"] = _emulator.BaseAddress.ToString(),
            ["Redis:Configuration"] = _redis.Configuration,
            ["Paging:CursorSecret"] = GatewayServer.CursorSecret,
            ["Upstream:Budget:PermitLimit"] = "100000",
            ["Ide:Enabled"] = "false",

            // Three replicas and the tests share two cores: Redis answers slower than in production.
            ["Redis:OperationTimeout"] = "00:00:01",
        };
        var dll = GatewayProcess.BuiltGatewayDll;
        _replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => GatewayProcess.StartAsync(dll, settings))));
    }

    public async Task DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    public int CallsFor(string projectId) => Emulator.Control.Requests.Count(request => request.ProjectId == projectId);
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaFixture>
{
    public const string Name = "three replicas";
}
