using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Gateway.Tests.Live;

/// <summary>The feed's polls stay within Live:MaxBudgetShare, so the caller's own queries keep the rest of the budget.</summary>
[Collection(LiveCollection.Name)]
public sealed class LiveBudgetShareLoadTests(LiveFixture fixture)
{
    [Fact]
    public async Task A_busy_feed_keeps_to_its_share_and_the_callers_queries_get_the_rest()
    {
        // 40 calls per 2 s, a quarter for the feed (10), and no queueing: a query over budget fails
        // at once. Uncapped, the feed would take all 40 (a poll every 50 ms).
        var settings = LiveFixture.Settings();
        settings["Live:PollInterval"] = "00:00:00.050";
        settings["Upstream:Budget:PermitLimit"] = "40";
        settings["Upstream:Budget:Window"] = "00:00:02";
        settings["Upstream:Budget:MaxQueueWait"] = "00:00:00";
        settings["Logging:LogLevel:Gateway.Live"] = "Information";
        var logs = new CapturingLoggerProvider();
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, settings, builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        const string project = "live-share";
        var subscribing = LiveClients.SubscribeAsync("ws", gateway.GraphQLEndpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project), count: 1, TimeSpan.FromSeconds(40));

        // The feed asks for 40 polls per window and gets 10: it has slowed down.
        await Eventually.UntilAsync(() => Task.FromResult(logs.Lines.Any(line => line.Contains("slowed down", StringComparison.Ordinal))), TimeSpan.FromSeconds(20), "the feed said it slowed down");
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);
        var queries = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.PostAsync(
            "query($p: String) { qualityTaskInstances(projectId: $p, first: 1) { totalCount } }",
            new { p = $"live-share-load-{i}" })));
        fixture.Control.AppendRun(project);
        await subscribing;

        Assert.All(queries, response => Assert.True(response.Errors is null, response.ToString()));
        var polls = fixture.Control.Requests.Where(request => request.ProjectId == project).Select(request => request.At).Order().ToList();
        Assert.True(polls.Count >= 11, $"only {polls.Count} polls");

        // Eleven polls never fit in one 2 s window; uncapped, the feed would make 40. The share
        // is taken before the call and the emulator stamps its arrival, so the slack covers one
        // call's time on two shared cores; the first, cold call (connection set-up) is left out.
        for (var i = 11; i < polls.Count; i++)
        {
            Assert.True(polls[i] - polls[i - 10] >= TimeSpan.FromSeconds(1.7), $"polls {i - 10} and {i} were {polls[i] - polls[i - 10]} apart");
        }

        Assert.DoesNotContain(logs.Lines, line => line.Contains(GraphQLClient.DefaultToken, StringComparison.Ordinal));
    }
}
