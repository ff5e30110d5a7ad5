using System.Globalization;
using System.Net;
using StackExchange.Redis;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// A real Redis Cluster on loopback: three masters and three replicas, each its own
/// redis-server process on a free port, joined with redis-cli. A short cluster-node-timeout
/// makes a failover take a couple of seconds, so a test can kill a master (by PID) and wait
/// for the cluster to heal.
/// </summary>
public sealed class RedisClusterServer : IAsyncDisposable
{
    private readonly List<RedisServer> _nodes;
    private readonly ConnectionMultiplexer _admin;

    private RedisClusterServer(List<RedisServer> nodes, ConnectionMultiplexer admin)
    {
        _nodes = nodes;
        _admin = admin;
    }

    public IReadOnlyList<RedisServer> Nodes => _nodes;

    /// <summary>What a client is given: every node, as a deployment lists a few of them.</summary>
    public string Configuration => string.Join(',', _nodes.Select(node => node.Configuration));

    public static async Task<RedisClusterServer> StartAsync(TimeSpan nodeTimeout)
    {
        var arguments = new[]
        {
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", ((int)nodeTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),

            // A replica fails over however long ago it last heard from its master: on two busy
            // cores a replica's link may look old, and a cluster that stays down proves nothing.
            "--cluster-replica-validity-factor", "0",
        };
        var nodes = new List<RedisServer>();
        try
        {
            foreach (var _ in Enumerable.Range(0, 6))
            {
                // The bus port is the client port + 10,000 unless given: a free port from the
                // ephemeral range plus 10,000 may be taken or past 65,535.
                var busPort = RedisServer.FreePort().ToString(CultureInfo.InvariantCulture);
                nodes.Add(await RedisServer.StartAsync([.. arguments, "--cluster-port", busPort]));
            }

            var cli = RedisServer.FindOnPath("redis-cli") ?? throw new InvalidOperationException("redis-cli is missing (it comes with redis-server).");
            var create = await ProcessRunner.RunAsync(
                cli,
                ["--cluster", "create", .. nodes.Select(node => node.Configuration), "--cluster-replicas", "1", "--cluster-yes"],
                Path.GetTempPath(),
                TimeSpan.FromSeconds(60));
            if (create.ExitCode != 0)
            {
                throw new InvalidOperationException("redis-cli --cluster create failed: " + create.Output);
            }

            var options = ConfigurationOptions.Parse(string.Join(',', nodes.Select(node => node.Configuration)));
            options.AllowAdmin = true;
            options.AbortOnConnectFail = false;
            var admin = await ConnectionMultiplexer.ConnectAsync(options);
            var cluster = new RedisClusterServer(nodes, admin);
            await WaitUntilAsync(cluster.UnhealthyAsync, TimeSpan.FromSeconds(60), "the new cluster did not become healthy");
            return cluster;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>The node currently serving the key's slot as master, as a live node sees it.</summary>
    public async Task<RedisServer> MasterForAsync(RedisKey key)
    {
        var slot = _admin.HashSlot(key);
        var view = await ViewAsync();
        var master = view.GetBySlot(slot) ?? throw new InvalidOperationException($"No node serves slot {slot}.");
        return NodeAt(master.EndPoint!);
    }

    /// <summary>The keys matching the pattern, on every live master.</summary>
    public async Task<IReadOnlyList<RedisKey>> KeysAsync(string pattern)
    {
        var keys = new List<RedisKey>();
        var view = await ViewAsync();
        foreach (var master in view.Nodes.Where(node => !node.IsReplica && node.Slots.Count > 0 && !node.IsFail))
        {
            var server = _admin.GetServer(master.EndPoint!);
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 500))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>Waits until every replica has received everything its master had written when this was called.</summary>
    public async Task WaitForReplicationAsync()
    {
        // The role as the server states it: the client's idea of it may lag behind the cluster.
        var written = new Dictionary<EndPoint, long>();
        foreach (var server in LiveServers())
        {
            var info = Fields(await server.InfoRawAsync("replication"));
            if (info["role"] == "master")
            {
                written[server.EndPoint] = long.Parse(info["master_repl_offset"], CultureInfo.InvariantCulture);
            }
        }

        await WaitUntilAsync(
            async () =>
            {
                foreach (var (endpoint, offset) in written)
                {
                    // slave0:ip=…,port=…,state=online,offset=N,lag=…: the offset the replica has acknowledged.
                    var replica = Fields(await _admin.GetServer(endpoint).InfoRawAsync("replication")).GetValueOrDefault("slave0", string.Empty);
                    var acknowledged = replica.Split(',').Select(part => part.Split('=')).Where(pair => pair is ["offset", _]).Select(pair => long.Parse(pair[1], CultureInfo.InvariantCulture)).FirstOrDefault(-1);
                    if (acknowledged < offset)
                    {
                        return $"{endpoint} wrote up to offset {offset}, its replica has {acknowledged}";
                    }
                }

                return null;
            },
            TimeSpan.FromSeconds(30),
            "the replicas did not catch up");
    }

    /// <summary>Waits, bounded, until a replica has taken over every slot of the dead node and all live nodes say the cluster is ok.</summary>
    public Task WaitForFailoverAsync(TimeSpan bound) => WaitUntilAsync(UnhealthyAsync, bound, "the cluster did not fail over");

    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>Null when the cluster is healthy, else what is not yet.</summary>
    private async Task<string?> UnhealthyAsync()
    {
        var live = _nodes.Where(node => node.IsRunning).ToList();
        foreach (var node in live)
        {
            var server = _admin.GetServer(node.Configuration);
            if (!server.IsConnected)
            {
                return $"{node.Configuration} is not connected";
            }

            var info = Fields((string)(await server.ExecuteAsync("CLUSTER", "INFO"))!);
            if (info.GetValueOrDefault("cluster_state") != "ok" || info.GetValueOrDefault("cluster_slots_ok") != "16384")
            {
                return $"{node.Configuration}: cluster_state {info.GetValueOrDefault("cluster_state")}, cluster_slots_ok {info.GetValueOrDefault("cluster_slots_ok")}";
            }

            // Every slot on a live master, in this node's own view.
            var view = await server.ClusterNodesAsync() ?? throw new InvalidOperationException("CLUSTER NODES returned nothing.");
            var masters = view.Nodes.Where(candidate => !candidate.IsReplica && candidate.Slots.Count > 0).ToList();
            if (masters.FirstOrDefault(master => master.IsFail || master.IsPossiblyFail || !live.Any(alive => alive.Port == ((IPEndPoint)master.EndPoint!).Port)) is { } dead)
            {
                return $"{node.Configuration} sees slots on {dead.Raw}";
            }
        }

        return null;
    }

    private async Task<ClusterConfiguration> ViewAsync()
    {
        var server = LiveServers().First();
        return await server.ClusterNodesAsync() ?? throw new InvalidOperationException("CLUSTER NODES returned nothing.");
    }

    private IEnumerable<IServer> LiveServers() =>
        _nodes.Where(node => node.IsRunning).Select(node => _admin.GetServer(node.Configuration)).Where(server => server.IsConnected);

    private RedisServer NodeAt(EndPoint endpoint) =>
        _nodes.Single(node => node.Port == ((IPEndPoint)endpoint).Port);

    // INFO-style text; over RESP3 CLUSTER INFO is a verbatim string, which comes with its "txt:" format prefix.
    private static Dictionary<string, string> Fields(string? info) =>
        (info ?? string.Empty).Replace("txt:", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#') && line.Contains(':', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf(':', StringComparison.Ordinal)], line => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..]);

    /// <summary>Polls until <paramref name="notYet"/> returns null (done), bounded; its last answer explains a timeout.</summary>
    private static async Task WaitUntilAsync(Func<Task<string?>> notYet, TimeSpan bound, string failure)
    {
        string? reason = null;
        var done = await Eventually.HoldsAsync(
            async () =>
            {
                try
                {
                    return (reason = await notYet()) is null;
                }
                catch (RedisException exception)
                {
                    // A node that is going away or not yet known: look again.
                    reason = exception.Message;
                    return false;
                }
            },
            bound);
        if (!done)
        {
            throw new TimeoutException($"Within {bound}, {failure}: {reason}.");
        }
    }
}
