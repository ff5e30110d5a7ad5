using QualityApi.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>One redis-server, one emulator and N gateway processes (replicas) sharing them.</summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    private readonly AsyncResources _resources;
    private readonly GatewayProcess[] _replicas;

    private ReplicaCluster(AsyncResources resources, RedisServer redis, EmulatorServer emulator, GatewayProcess[] replicas)
    {
        _resources = resources;
        Redis = redis;
        Emulator = emulator;
        _replicas = replicas;
    }

    public RedisServer Redis { get; }

    public EmulatorServer Emulator { get; }

    public IReadOnlyList<GatewayProcess> Replicas => _replicas;

    public static async Task<ReplicaCluster> StartAsync(EmulatorOptions emulatorOptions, IDictionary<string, string> settings, int replicas = 3)
    {
        var resources = new AsyncResources();
        try
        {
            var redis = resources.Add(await RedisServer.StartAsync());
            var emulator = resources.Add(await EmulatorServer.StartAsync(emulatorOptions));
            var all = new Dictionary<string, string>
            {
                ["Upstream:BaseUrl"] = emulator.BaseAddress.ToString(),
                ["Redis:Configuration"] = redis.Configuration,
                ["Paging:CursorSecret"] = GatewayServer.CursorSecret,
                ["Ide:Enabled"] = "false",

                // Replicas and tests share two cores: Redis answers slower than in production.
                ["Redis:OperationTimeout"] = "00:00:01",
            };
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }

            var dll = GatewayProcess.BuiltGatewayDll;
            var started = await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => GatewayProcess.StartAsync(dll, all)));
            foreach (var replica in started)
            {
                resources.Add(replica);
            }

            var cluster = new ReplicaCluster(resources, redis, emulator, started);
            await cluster.WarmUpAsync();
            return cluster;
        }
        catch
        {
            await resources.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One cold page through each replica (each its own project, so each fetches), for a
    /// caller and projects no test uses: a test's
    /// first burst then meets replicas whose code is compiled and whose Redis scripts are
    /// loaded, not a cold start on two shared cores, where coordination commands can miss their
    /// timeout and replicas fall back to counting alone (the documented degradation).
    /// </summary>
    private async Task WarmUpAsync()
    {
        for (var i = 0; i < _replicas.Length; i++)
        {
            using var client = new GraphQLClient(_replicas[i].GraphQLEndpoint, "warm-up-token", "ws-warm-up");
            var response = await client.PostAsync($"{{ qualityTaskInstances(projectId: \"replica-warm-up-{i}\", first: 1) {{ totalCount }} }}");
            if (response.Errors is not null)
            {
                throw new InvalidOperationException("A replica failed its warm-up request: " + response);
            }
        }
    }

    /// <summary>Everything the replicas logged, for failure messages.</summary>
    public string Logs => string.Join("\n----\n", _replicas.Select(replica => replica.Output));

    public int CallsFor(string projectId) => Emulator.Control.CallsFor(projectId);

    /// <summary>The replicas first, then the emulator and Redis they use.</summary>
    public ValueTask DisposeAsync() => _resources.DisposeAsync();
}
