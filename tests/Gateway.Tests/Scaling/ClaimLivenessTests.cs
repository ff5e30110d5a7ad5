using System.Diagnostics;
using System.Globalization;
using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;
using Xunit.Abstractions;

namespace Gateway.Tests.Scaling;

/// <summary>
/// Two gateway processes on one Redis and a slow upstream: a cold block's claim lives only as
/// long as its holder. A holder killed mid-fetch holds the other replica up for at most a lease
/// (Cache:SingleFlight:Lease, 2 s), and a live holder slower than the lease is still never
/// duplicated, because it renews its claim.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class ClaimLivenessTests(ITestOutputHelper output)
{
    private const string Page = "query($p: String) { qualityTaskInstances(projectId: $p, first: 10) { totalCount nodes { id } } }";

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_replica_killed_mid_fetch_holds_the_other_up_for_at_most_a_lease()
    {
        const int latencyMs = 3000;
        const string project = "liveness-killed-holder";
        await using var cluster = await StartAsync();
        cluster.Emulator.Control.LatencyMilliseconds = latencyMs;
        using var viaA = Client(cluster.Replicas[0]);
        using var viaB = Client(cluster.Replicas[1]);

        // A claims the block and calls the upstream; it dies while the upstream is still answering.
        var dying = viaA.PostAsync(Page, new { p = project });
        await WaitForClaimAsync(cluster, project);
        await cluster.Replicas[0].KillAsync();
        var killed = Stopwatch.StartNew();
        var answer = await viaB.PostAsync(Page, new { p = project });
        var elapsed = killed.Elapsed;
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => dying);

        // B waits at most for A's lease to run out, then fetches once (one upstream latency).
        // The second of slack is for two busy cores, not for a lease: 15 s of one used to pass.
        var bound = TimeSpan.FromMilliseconds(latencyMs) + Lease + TimeSpan.FromSeconds(1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"B answered {elapsed.TotalMilliseconds:F0} ms after A was killed: {(elapsed.TotalMilliseconds - latencyMs):F0} ms beyond the upstream's {latencyMs} ms (bound {bound.TotalMilliseconds:F0} ms); upstream calls {cluster.CallsFor(project)}."));
        Assert.True(answer.Errors is null, answer.ToString());
        Assert.True(elapsed < bound, $"B answered {elapsed} after A was killed (bound {bound}).\n{cluster.Logs}");
        Assert.True(cluster.CallsFor(project) <= 2, $"{cluster.CallsFor(project)} upstream calls: A's and B's at most");
    }

    [Fact]
    public async Task A_live_fetch_slower_than_the_lease_is_not_duplicated()
    {
        const int latencyMs = 5000;
        const string project = "liveness-slow-holder";
        await using var cluster = await StartAsync();
        cluster.Emulator.Control.LatencyMilliseconds = latencyMs;
        using var viaA = Client(cluster.Replicas[0]);
        using var viaB = Client(cluster.Replicas[1]);

        var first = viaA.PostAsync(Page, new { p = project });
        await WaitForClaimAsync(cluster, project);
        var second = viaB.PostAsync(Page, new { p = project });
        var answers = await Task.WhenAll(first, second);

        Assert.All(answers, answer => Assert.True(answer.Errors is null, answer.ToString()));
        Assert.Equal(answers[0].Body, answers[1].Body);
        Assert.True(cluster.CallsFor(project) == 1, $"{cluster.CallsFor(project)} upstream calls for a fetch that took {latencyMs} ms under a {Lease} lease\n{cluster.Logs}");
    }

    private static Task<ReplicaCluster> StartAsync() =>
        ReplicaCluster.StartAsync(
            new EmulatorOptions { InstancesPerProject = 50 },
            // One attempt may take the 5 s fetch plus this shared box's overhead.
            new Dictionary<string, string> { ["Upstream:Budget:PermitLimit"] = "100000", ["Upstream:Timeout"] = "00:00:10" },
            replicas: 2);

    private static GraphQLClient Client(GatewayProcess replica) => new(replica.GraphQLEndpoint, "token-liveness", "ws-liveness");

    /// <summary>Waits, bounded, until a replica holds the block's claim in Redis (its upstream call is under way).</summary>
    private static Task WaitForClaimAsync(ReplicaCluster cluster, string project) =>
        Eventually.UntilAsync(async () => await cluster.Redis.KeyCountAsync($"*:{project}:*:flight") > 0, TimeSpan.FromSeconds(10), "no replica claimed the block\n" + cluster.Logs);
}
