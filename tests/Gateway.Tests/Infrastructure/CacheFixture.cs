using QualityApi.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>An emulator with small lists and two tenants, and a real redis-server, for the cache tests.</summary>
public sealed class CacheFixture : IAsyncLifetime
{
    public const string AliceToken = "token-alice-7f3a9c2e5b1d";
    public const string BobToken = "token-bob-4e8d2a6c9f0b";
    public const string CarolToken = "token-carol-1b5e9d3f7a2c";
    public const string AliceWorkspace = "ws-alice";
    public const string BobWorkspace = "ws-bob";

    private EmulatorServer? _emulator;
    private RedisServer? _redis;

    public EmulatorServer Emulator => _emulator ?? throw new InvalidOperationException("Not started.");

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _emulator = await EmulatorServer.StartAsync(new EmulatorOptions
        {
            InstancesPerProject = 300,
            Tokens = [AliceToken, BobToken, CarolToken],
            AccessRules =
            {
                [AliceToken] = new AccessRule { Projects = ["alice-project", "common-project"], Workspaces = [AliceWorkspace] },
                [BobToken] = new AccessRule { Projects = ["bob-project"], Workspaces = [BobWorkspace] },
            },
        });
    }

    public async Task DisposeAsync()
    {
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
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
}

[CollectionDefinition(Name)]
public sealed class CacheCollection : ICollectionFixture<CacheFixture>
{
    public const string Name = "redis cache";
}
