using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Live;

/// <summary>Two gateway processes on one redis-server: one poller per feed for the whole cluster.</summary>
public sealed class LiveReplicaTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private const string Credentials = $$"""{"X-Auth-Token":"{{GraphQLClient.DefaultToken}}","workspace":"{{GraphQLClient.DefaultWorkspace}}"}""";

    [Fact]
    public async Task Six_subscribers_of_one_caller_on_two_replicas_cause_one_poll_per_interval_and_none_once_they_leave()
    {
        await using var cluster = await ReplicaCluster.StartAsync(
            new QualityApi.Emulator.EmulatorOptions { InstancesPerProject = 1200 },
            new Dictionary<string, string> { ["Live:PollInterval"] = "00:00:00.300", ["Upstream:Budget:PermitLimit"] = "100000", ["Logging:LogLevel:Gateway.Live"] = "Information" },
            replicas: 2);
        const string project = "live-replicas";
        var control = cluster.Emulator.Control;
        var subscribers = new List<WebSocketClient>();
        GatewayProcess? survivorReplica = null;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var subscriber = await WebSocketClient.ConnectAsync(cluster.Replicas[i % 2].GraphQLEndpoint);
                subscribers.Add(subscriber);
                await subscriber.InitAsync(Credentials);
                await subscriber.SubscribeAsync("feed", LiveFixture.Subscription(project));
            }

            await Eventually.UntilAsync(() => Task.FromResult(control.CallsFor(project) >= 10), Bound, "ten polls of the shared feed\n" + cluster.Logs);
            var run = control.AppendRun(project);
            var events = await Task.WhenAll(subscribers.Select(subscriber => subscriber.ReceiveAsync()));

            Assert.All(events, message =>
            {
                Assert.Equal("next", message?["type"]?.GetValue<string>());
                var change = message!["payload"]!["data"]!["qualityTaskInstanceChanges"]!;
                Assert.Equal("ADDED", change["kind"]!.GetValue<string>());
                Assert.Equal(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), change["instance"]!["id"]!.GetValue<string>());
            });

            // One poller: polls come an interval apart. Two would interleave, half an interval
            // apart on average; one overlap is allowed for the first interval, when both may
            // have asked for the lease before either held it.
            var polls = control.Requests.Where(request => request.ProjectId == project).Select(request => request.At).Order().ToList();
            var close = polls.Zip(polls.Skip(1), (a, b) => b - a).Count(gap => gap < Interval / 2);
            Assert.True(close <= 1, $"{close} of {polls.Count - 1} polls came less than half an interval after the previous one: {string.Join(", ", polls.Zip(polls.Skip(1), (a, b) => (int)(b - a).TotalMilliseconds))} ms");

            // The poller dies (kill -9): the other replica takes the lease over once it expires
            // and goes on from the last head it heard of, so the next run is not missed.
            // Who holds the lease now: its value in Redis is the holder's id, which the holder
            // logged when it took it (a stall may have moved the lease once already). On a busy
            // machine the key can be missing for a moment, between a lease that expired before
            // its renewal and the next holder taking it: it is waited for, bounded.
            (string Key, string Value)? lease = null;
            await Eventually.UntilAsync(
                async () =>
                {
                    var leases = (await cluster.Redis.DumpAsync()).Where(entry => entry.Key.Contains(":live:lease:", StringComparison.Ordinal)).ToList();
                    lease = leases.Count == 1 ? leases[0] : null;
                    return lease is not null;
                },
                Bound,
                "one holder of the poll lease in Redis");
            var holder = cluster.Replicas.Single(replica => replica.Output.Contains($"(replica {lease!.Value.Value})", StringComparison.Ordinal));
            await holder.KillAsync();
            var survivors = subscribers.Where((_, i) => cluster.Replicas[i % 2] != holder).ToList();
            var next = control.AppendRun(project);
            var afterTakeover = await Task.WhenAll(survivors.Select(subscriber => subscriber.ReceiveAsync()));

            Assert.All(afterTakeover, message => Assert.Equal(
                next.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                message?["payload"]?["data"]?["qualityTaskInstanceChanges"]?["instance"]?["id"]?.GetValue<string>()));
            var alive = cluster.Replicas.Single(replica => replica != holder);
            Assert.Contains("took the poll lease", alive.Output, StringComparison.Ordinal);
            survivorReplica = alive;
        }
        finally
        {
            foreach (var subscriber in subscribers)
            {
                await subscriber.DisposeAsync();
            }
        }

        // Once every subscriber has left, nobody polls: while another feed polls three times
        // (more than two intervals), the first one is not polled again (but for a poll already under way).
        var calls = control.CallsFor(project);
        await using var probe = await WebSocketClient.ConnectAsync(survivorReplica!.GraphQLEndpoint);
        await probe.InitAsync(Credentials);
        await probe.SubscribeAsync("probe", LiveFixture.Subscription("live-replicas-probe"));
        await Eventually.UntilAsync(() => Task.FromResult(control.CallsFor("live-replicas-probe") >= 3), Bound, "three polls of the probe");

        Assert.True(control.CallsFor(project) <= calls + 1, $"{control.CallsFor(project) - calls} polls after every subscriber left");
        Assert.DoesNotContain(GraphQLClient.DefaultToken, cluster.Logs, StringComparison.Ordinal);
    }
}
