using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Scaling;

/// <summary>Three replicas under a burst from one token stay within that token's upstream budget together.</summary>
public sealed class SharedBudgetTests : FixtureLifecycle
{
    private const int Limit = 10;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    private ReplicaCluster? _cluster;

    // The emulator throttles like the real upstream does: any call over the budget is a raw 429.
    protected override async Task StartAsync() =>
        _cluster = Started(await ReplicaCluster.StartAsync(
            new EmulatorOptions
            {
                InstancesPerProject = 300,
                Throttle = new ThrottleOptions { Limit = Limit, WindowSeconds = (int)Window.TotalSeconds, RetryAfterSeconds = 5 },
            },
            new Dictionary<string, string>
            {
                ["Upstream:Budget:PermitLimit"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Upstream:Budget:Window"] = Window.ToString(),
                ["Upstream:Budget:MaxQueueWait"] = "00:00:01",
            }));

    [Fact]
    public async Task A_burst_from_one_token_over_three_replicas_stays_within_its_budget()
    {
        var emulator = _cluster!.Emulator;
        var clients = _cluster.Replicas.Select(replica => new GraphQLClient(replica.GraphQLEndpoint, "token-burst", "ws-burst")).ToList();
        try
        {
            // 36 distinct cold windows (distinct filters), all at once, spread over the replicas.
            var names = emulator.Control.Dataset("burst").Select(item => item.Name).Distinct().Take(12).ToList();
            var requests = names.SelectMany(name => new[] { "QUALITY_TASK", "CONSISTENCY_TASK", null }.Select(type => (name, type))).ToList();
            var responses = await Task.WhenAll(requests.Select((request, i) => clients[i % 3].PostAsync(
                "query($w: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: \"burst\", first: 5, where: $w) { totalCount } }",
                new { w = request.type is null ? (object)new { name = new { eq = request.name } } : new { name = new { eq = request.name }, taskType = new { eq = request.type } } })));

            var served = responses.Count(response => response.Errors is null);
            var limited = responses.Count(response => response.ErrorCodes.SequenceEqual(["UPSTREAM_RATE_LIMITED"]));
            Assert.Equal(responses.Length, served + limited);
            Assert.True(served >= 1 && served <= Limit, $"{served} served");

            var calls = emulator.Control.Requests.Where(request => request.ProjectId == "burst").ToList();
            Assert.True(!calls.Any(call => call.StatusCode == 429), $"{calls.Count(call => call.StatusCode == 429)} raw 429s; {served} served\n" + _cluster.Logs);
            var times = calls.Select(call => call.At).Order().ToList();
            for (var i = Limit; i < times.Count; i++)
            {
                Assert.True(times[i] - times[i - Limit] >= Window - TimeSpan.FromMilliseconds(100), $"{Limit + 1} calls within {times[i] - times[i - Limit]}");
            }

            Assert.All(responses.Where(response => response.Errors is not null), response =>
                Assert.True(response.Errors![0]!["extensions"]!["retryAfterSeconds"]!.GetValue<int>() >= 1));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }
}
