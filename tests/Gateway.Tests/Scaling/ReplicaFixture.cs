using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Scaling;

/// <summary>Three replicas with a generous budget, shared by the scaling tests.</summary>
public sealed class ReplicaFixture : FixtureLifecycle
{
    private ReplicaCluster? _cluster;

    public ReplicaCluster Cluster => Require(_cluster);

    public EmulatorServer Emulator => Cluster.Emulator;

    public IReadOnlyList<GatewayProcess> Replicas => Cluster.Replicas;

    protected override async Task StartAsync() =>
        _cluster = Started(await ReplicaCluster.StartAsync(
            new EmulatorOptions { InstancesPerProject = 1200, LatencyMilliseconds = 100 },
            new Dictionary<string, string> { ["Upstream:Budget:PermitLimit"] = "100000" }));

    public int CallsFor(string projectId) => Cluster.CallsFor(projectId);
}

[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaFixture>
{
    public const string Name = "three replicas";
}
