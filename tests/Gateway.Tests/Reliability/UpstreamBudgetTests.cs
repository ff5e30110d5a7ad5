using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Reliability;

/// <summary>The per-caller budget keeps the upstream from ever seeing more than it allows.</summary>
public sealed class UpstreamBudgetTests(FaultFixture fixture) : IClassFixture<FaultFixture>
{
    private const string Query = "query($p: String) { qualityTaskInstances(projectId: $p, first: 1) { totalCount } }";

    [Fact]
    public async Task An_exhausted_budget_answers_UPSTREAM_RATE_LIMITED_without_calling_the_upstream()
    {
        var settings = FaultFixture.Settings;
        settings["Upstream:Budget:PermitLimit"] = "5";
        settings["Upstream:Budget:Window"] = "00:01:00";
        settings["Upstream:Budget:MaxQueueWait"] = "00:00:00.200";
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, settings);
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);

        var responses = new List<GraphQLResponse>();
        for (var i = 0; i < 8; i++)
        {
            responses.Add(await client.PostAsync(Query, new { p = $"budget-{i}" }));
        }

        Assert.All(responses.Take(5), response => Assert.True(response.Errors is null, response.ToString()));
        Assert.All(responses.Skip(5), response =>
        {
            Assert.Equal(["UPSTREAM_RATE_LIMITED"], response.ErrorCodes);
            Assert.True(response.Errors![0]!["extensions"]!["retryAfterSeconds"]!.GetValue<int>() >= 1);
        });
        Assert.Equal(5, Enumerable.Range(0, 8).Sum(i => fixture.CallsFor($"budget-{i}")));
    }

    [Fact]
    public async Task Calls_over_the_budget_queue_briefly_instead_of_failing()
    {
        var settings = FaultFixture.Settings;
        settings["Upstream:Budget:PermitLimit"] = "3";
        settings["Upstream:Budget:Window"] = "00:00:01";
        // Ample: the queued calls get their permits after about a second, but the limiter's
        // replenishing tick runs on the thread pool, which a loaded test run kept busy for more
        // than 3 s once. The claims (no call fails, never more than three a second) are unchanged.
        settings["Upstream:Budget:MaxQueueWait"] = "00:00:15";
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, settings);
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => client.PostAsync(Query, new { p = $"queued-{i}" })));

        Assert.All(responses, response => Assert.True(response.Errors is null, response.ToString()));
        var calls = fixture.Emulator.Control.Requests.Where(request => request.ProjectId.StartsWith("queued-", StringComparison.Ordinal)).Select(request => request.At).Order().ToList();
        Assert.Equal(6, calls.Count);

        // Never more than three calls within any one-second window.
        for (var i = 3; i < calls.Count; i++)
        {
            Assert.True(calls[i] - calls[i - 3] >= TimeSpan.FromSeconds(0.9), $"calls {i - 3} and {i} were {calls[i] - calls[i - 3]} apart");
        }
    }
}
