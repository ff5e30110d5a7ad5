using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;
using Xunit.Abstractions;

namespace Gateway.Tests.Caching;

/// <summary>
/// The gateway on a real Redis Cluster (three masters, three replicas on loopback) while the
/// master holding most of the cached blocks is killed: no query fails, and once a replica has
/// taken over, the blocks on the lost slots are served from Redis again within seconds.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class RedisClusterFailoverTests(ITestOutputHelper output)
{
    private const string Page = "query($p: String) { qualityTaskInstances(projectId: $p, first: 10) { totalCount nodes { id } } }";
    private const int Pages = 24;

    // Enough concurrent queries that many Redis operations are in flight when the master dies
    // and fail together: the burst that used to push the backoff to its maximum at once.
    private const int Workers = 32;

    // A HIT this much older than its block's in-process lifetime (Cache:LocalTtl, 10 ms here)
    // can only have come from Redis.
    private const int RedisHitMinimumAgeMs = 250;

    private static readonly TimeSpan ResumeBound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Killing_the_master_with_most_blocks_fails_no_query_and_redis_hits_resume_within_3_s_of_the_failover()
    {
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { InstancesPerProject = 20 });
        await using var cluster = await RedisClusterServer.StartAsync(nodeTimeout: TimeSpan.FromMilliseconds(1000));
        await using var gateway = new GatewayServer(emulator.BaseAddress, new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = cluster.Configuration,

            // Every read goes to Redis (the in-process copy lives 10 ms, responses are not
            // reused), and no block goes stale during the test: a HIT is a Redis hit.
            ["Cache:LocalTtl"] = "00:00:00.010",
            ["Http:ResponseTtl"] = "00:00:00",
            ["Cache:VolatileTtl"] = "00:00:30",
        });
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);
        var projects = Enumerable.Range(0, Pages).Select(i => $"failover-{i:D2}").ToList();
        foreach (var project in projects)
        {
            var warm = await client.PostAsync(Page, new { p = project });
            Assert.True(warm.Errors is null, warm.ToString());
        }

        await cluster.WaitForReplicationAsync();
        var lost = await ProjectsOnBusiestMasterAsync(cluster, projects);
        var victim = lost.Master;

        using var stop = new CancellationTokenSource();
        var outcomes = new ConcurrentQueue<Outcome>();
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(() => LoadAsync(client, projects, worker, outcomes, stop.Token))).ToList();
        await WaitForAsync(() => outcomes.Count > Pages, TimeSpan.FromSeconds(10), "the load did not start");

        var killedAt = DateTimeOffset.UtcNow;
        await victim.KillAsync();
        await cluster.WaitForFailoverAsync(TimeSpan.FromSeconds(30));
        var failedOverAt = DateTimeOffset.UtcNow;

        // Until every block on the lost slots has been served from Redis again, bounded well
        // beyond the acceptance bound so that a regression shows its real size.
        await WaitForAsync(() => lost.Projects.All(project => FirstRedisHit(outcomes, project, failedOverAt) is not null), TimeSpan.FromSeconds(20), "redis hits did not resume", throwOnTimeout: false);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        var failures = outcomes.Where(outcome => outcome.Failure is not null).Select(outcome => outcome.Failure).ToList();
        var resumed = lost.Projects.Select(project => FirstRedisHit(outcomes, project, failedOverAt) is { } at ? at - failedOverAt : TimeSpan.MaxValue).ToList();
        var othersResumed = projects.Except(lost.Projects).Select(project => FirstRedisHit(outcomes, project, failedOverAt)).Max() - failedOverAt;
        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{outcomes.Count} queries, {failures.Count} failed; {lost.Projects.Count} of {Pages} blocks on the killed master; failover took {(failedOverAt - killedAt).TotalMilliseconds:F0} ms after the kill; Redis hits on the lost slots resumed {resumed.Min().TotalMilliseconds:F0} ms (first) to {resumed.Max().TotalMilliseconds:F0} ms (last) after the failover ({othersResumed?.TotalMilliseconds:F0} ms for the last block on the other masters)."));

        Assert.Empty(failures);
        Assert.All(resumed, after => Assert.True(after < ResumeBound, $"Redis hits on the lost slots resumed {after} after the failover (bound {ResumeBound})."));
    }

    private static async Task<(RedisServer Master, List<string> Projects)> ProjectsOnBusiestMasterAsync(RedisClusterServer cluster, List<string> projects)
    {
        var keys = await cluster.KeysAsync("*:block:*[0-9]");
        var byMaster = new List<(RedisServer Master, string Project)>();
        foreach (var project in projects)
        {
            var key = keys.Single(candidate => candidate.ToString().Contains($":{project}:", StringComparison.Ordinal));
            byMaster.Add((await cluster.MasterForAsync(key), project));
        }

        var busiest = byMaster.GroupBy(entry => entry.Master).OrderByDescending(group => group.Count()).First();
        return (busiest.Key, busiest.Select(entry => entry.Project).ToList());
    }

    private static async Task LoadAsync(GraphQLClient client, List<string> projects, int worker, ConcurrentQueue<Outcome> outcomes, CancellationToken stop)
    {
        for (var i = worker; !stop.IsCancellationRequested; i++)
        {
            var project = projects[i % projects.Count];
            var response = await client.PostAsync(Page, new { p = project }, request => request.Headers.Add("X-Cache-Info", "1"));
            var cache = response.Status == HttpStatusCode.OK && response.Errors is null ? response.Json["extensions"]?["cache"]?["qualityTaskInstances"] : null;
            outcomes.Enqueue(new Outcome(
                DateTimeOffset.UtcNow,
                project,
                cache?["status"]?.GetValue<string>(),
                cache?["ageMs"]?.GetValue<long>() ?? 0,
                cache is null ? response.ToString() : null));
        }
    }

    private static DateTimeOffset? FirstRedisHit(IEnumerable<Outcome> outcomes, string project, DateTimeOffset after) =>
        outcomes.Where(outcome => outcome.Project == project && outcome.At > after && outcome.Status == "HIT" && outcome.AgeMs >= RedisHitMinimumAgeMs)
            .Select(outcome => (DateTimeOffset?)outcome.At)
            .Min();

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan bound, string failure, bool throwOnTimeout = true)
    {
        if (!await Eventually.HoldsAsync(() => Task.FromResult(condition()), bound) && throwOnTimeout)
        {
            throw new TimeoutException($"Within {bound}, {failure}.");
        }
    }

    private sealed record Outcome(DateTimeOffset At, string Project, string? Status, long AgeMs, string? Failure);
}
