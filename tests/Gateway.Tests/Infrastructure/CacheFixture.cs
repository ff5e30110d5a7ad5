using QualityApi.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>An emulator with small lists and two tenants, and a real redis-server, for the cache tests.</summary>
public sealed class CacheFixture : FixtureLifecycle
{
    public const string AliceToken = "token-alice-7f3a9c2e5b1d";
    public const string BobToken = "token-bob-4e8d2a6c9f0b";
    public const string CarolToken = "token-carol-1b5e9d3f7a2c";
    public const string AliceWorkspace = "ws-alice";
    public const string BobWorkspace = "ws-bob";

    private EmulatorServer? _emulator;
    private RedisServer? _redis;

    public EmulatorServer Emulator => Require(_emulator);

    public RedisServer Redis => Require(_redis);

    protected override async Task StartAsync()
    {
        _redis = Started(await RedisServer.StartAsync());
        _emulator = Started(await EmulatorServer.StartAsync(new EmulatorOptions
        {
            InstancesPerProject = 300,
            Tokens = [AliceToken, BobToken, CarolToken],
            AccessRules =
            {
                [AliceToken] = new AccessRule { Projects = ["alice-project", "common-project"], Workspaces = [AliceWorkspace] },
                [BobToken] = new AccessRule { Projects = ["bob-project"], Workspaces = [BobWorkspace] },
            },
        }));
    }

    /// <summary>A gateway on the shared Redis; settings override the defaults; <paramref name="time"/>, when given, is its clock.</summary>
    public GatewayServer Gateway(IDictionary<string, string?>? settings = null, string? redisConfiguration = null, TimeProvider? time = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Redis:Configuration"] = redisConfiguration ?? Redis.Configuration,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return new GatewayServer(Emulator.BaseAddress, all, time is null ? null : GatewayServer.OnClock(time));
    }

    public int CallsFor(string projectId) => Emulator.Control.CallsFor(projectId);

    /// <summary>The upstream calls for <paramref name="projectId"/> that <paramref name="action"/> caused.</summary>
    public async Task<int> CallsDuringAsync(string projectId, Func<Task> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var before = CallsFor(projectId);
        await action();
        return CallsFor(projectId) - before;
    }
}

[CollectionDefinition(Name)]
public sealed class CacheCollection : ICollectionFixture<CacheFixture>
{
    public const string Name = "redis cache";
}
