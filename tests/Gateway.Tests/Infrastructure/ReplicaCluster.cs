using QualityApi.Emulator;

namespace Gateway.Tests.Infrastructure;

/// <summary>One redis-server, one emulator and N gateway processes (replicas) sharing them.</summary>
public sealed class ReplicaCluster : IAsyncDisposable
{
    private readonly List<GatewayProcess> _replicas = [];

    private ReplicaCluster(RedisServer redis, EmulatorServer emulator)
    {
        Redis = redis;
        Emulator = emulator;
    }

    public RedisServer Redis { get; }

    public EmulatorServer Emulator { get; }

    public IReadOnlyList<GatewayProcess> Replicas => _replicas;

    public static async Task<ReplicaCluster> StartAsync(EmulatorOptions emulatorOptions, IDictionary<string, string> settings, int replicas = 3)
    {
        var cluster = new ReplicaCluster(await RedisServer.StartAsync(), await EmulatorServer.StartAsync(emulatorOptions));
        try
        {
            var all = new Dictionary<string, string>
            {
                ["Upstream:BaseUrl"] = cluster.Emulator.BaseAddress.ToString(),
                ["Redis:Configuration"] = cluster.Redis.Configuration,
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
            cluster._replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, replicas).Select(_ => GatewayProcess.StartAsync(dll, all))));
            await cluster.WarmUpAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
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
        for (var i = 0; i < _replicas.Count; i++)
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

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }

        await Emulator.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
