using QualityApi.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>One emulator and one gateway on loopback, shared by the integration tests.</summary>
public sealed class GatewayFixture : FixtureLifecycle
{
    public const string ForbiddenProject = "project-of-someone-else";
    public const string RestrictedToken = "token-restricted-42";
    public const string AllowedOrigin = "https://app.example.test";
    public const string SecondToken = "token-bob-9876543210";

    private EmulatorServer? _emulator;
    private GatewayServer? _gateway;

    public EmulatorServer Emulator => Require(_emulator);

    public GatewayServer Gateway => Require(_gateway);

    public static EmulatorOptions EmulatorOptions() => new()
    {
        InstancesPerProject = 1200,
        Tokens = [GraphQLClient.DefaultToken, RestrictedToken, SecondToken],
        AccessRules = { [RestrictedToken] = new AccessRule { Projects = ["allowed-project"] } },
    };

    protected override async Task StartAsync()
    {
        _emulator = Started(await EmulatorServer.StartAsync(EmulatorOptions()));
        _gateway = Started(new GatewayServer(_emulator.BaseAddress, new Dictionary<string, string?> { ["Upstream:Timeout"] = "00:00:01", ["Upstream:Deadline"] = "00:00:04", ["Upstream:Retry:BaseDelay"] = "00:00:00.050", ["Cors:AllowedOrigins:0"] = AllowedOrigin }));
    }

    public GraphQLClient Client(string? token = GraphQLClient.DefaultToken, string? workspace = GraphQLClient.DefaultWorkspace) =>
        new(Gateway.GraphQLEndpoint, token, workspace);
}

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway over HTTP";
}
