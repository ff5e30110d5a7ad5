using System.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using QualityApi.Emulator;

namespace Gateway.Tests.Reliability;

/// <summary>
/// Every kind of upstream trouble the emulator can inject ends in its documented error code,
/// within the configured deadline plus a margin, and the next healthy request is served.
/// </summary>
public sealed class FaultMatrixTests(FaultFixture fixture) : IClassFixture<FaultFixture>, IDisposable
{
    private const string Query = "query($p: String) { qualityTaskInstances(projectId: $p, first: 5) { totalCount nodes { id } } }";

    // Scheduling noise on a shared 2-core machine, not a performance claim.
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    public void Dispose() => fixture.Emulator.Control.ClearFaults();

    [Theory]
    [InlineData(FaultKind.ServerError500, 0, null, "UPSTREAM_UNAVAILABLE")]
    [InlineData(FaultKind.ServiceUnavailable503, 0, null, "UPSTREAM_UNAVAILABLE")]
    [InlineData(FaultKind.TooManyRequests429, 0, 30, "UPSTREAM_RATE_LIMITED")]
    [InlineData(FaultKind.TooManyRequests429, 0, null, "UPSTREAM_RATE_LIMITED")]
    [InlineData(FaultKind.TooManyRequests429, 0, 1, "UPSTREAM_RATE_LIMITED")]
    [InlineData(FaultKind.Slow, 10_000, null, "UPSTREAM_TIMEOUT")]
    [InlineData(FaultKind.MalformedJson, 0, null, "UPSTREAM_BAD_RESPONSE")]
    [InlineData(FaultKind.TruncatedJson, 0, null, "UPSTREAM_BAD_RESPONSE")]
    [InlineData(FaultKind.CloseConnection, 0, null, "UPSTREAM_UNAVAILABLE")]
    public async Task A_persistent_fault_gives_its_code_within_the_deadline_and_the_next_request_works(FaultKind kind, int delayMilliseconds, int? retryAfterSeconds, string code)
    {
        var project = $"fault-{kind}-{retryAfterSeconds}".ToLowerInvariant();
        fixture.Emulator.Control.InjectFault(new Fault(kind, Times: 0, DelayMilliseconds: delayMilliseconds, RetryAfterSeconds: retryAfterSeconds));
        using var client = new GraphQLClient(fixture.Gateway.GraphQLEndpoint);

        var clock = Stopwatch.StartNew();
        var failed = await client.PostAsync(Query, new { p = project });
        clock.Stop();

        Assert.Equal([code], failed.ErrorCodes);
        Assert.True(clock.Elapsed < FaultFixture.Deadline + Margin, $"answered after {clock.Elapsed}");
        var extensions = failed.Errors![0]!["extensions"]!;
        Assert.Equal(retryAfterSeconds, extensions["retryAfterSeconds"]?.GetValue<int>());

        fixture.Emulator.Control.ClearFaults();
        var healthy = await client.PostAsync(Query, new { p = project });
        Assert.True(healthy.Errors is null, healthy.ToString());
    }

    [Fact]
    public async Task Values_the_documentation_does_not_list_do_not_fail_the_page()
    {
        // Every answer has the odd values while this test runs: under load an attempt may time
        // out and be retried, and the retry must see them too.
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.UnexpectedValues, Times: 0));
        using var client = new GraphQLClient(fixture.Gateway.GraphQLEndpoint);

        GraphQLResponse response;
        try
        {
            response = await client.PostAsync("{ qualityTaskInstances(projectId: \"odd-values\", first: 5) { nodes { id name taskType runStatus notifyStatus } } }");
        }
        finally
        {
            fixture.Emulator.Control.ClearFaults();
        }

        Assert.True(response.Errors is null, response.ToString());
        var nodes = response.Data["qualityTaskInstances"]!["nodes"]!.AsArray();
        Assert.Equal(5, nodes.Count);
        Assert.Equal("UNKNOWN", nodes[0]!["runStatus"]!.GetValue<string>());
        Assert.Equal("QUALITY_TASK", nodes[1]!["taskType"]!.GetValue<string>());
        Assert.Equal("NOT_TRIGGERED", nodes[2]!["notifyStatus"]!.GetValue<string>());
        Assert.Equal(string.Empty, nodes[3]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_single_500_is_retried_away()
    {
        const string project = "transient-500";
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500));
        using var client = new GraphQLClient(fixture.Gateway.GraphQLEndpoint);

        var response = await client.PostAsync(Query, new { p = project });

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal(2, fixture.CallsFor(project));
    }

    [Fact]
    public async Task A_429_whose_retry_after_fits_is_waited_out()
    {
        const string project = "transient-429";
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.TooManyRequests429, RetryAfterSeconds: 1));
        using var client = new GraphQLClient(fixture.Gateway.GraphQLEndpoint);

        var response = await client.PostAsync(Query, new { p = project });

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal(2, fixture.CallsFor(project));
        var seen = fixture.Emulator.Control.Requests.Where(request => request.ProjectId == project).Select(request => request.At).ToList();
        Assert.True(seen[1] - seen[0] >= TimeSpan.FromSeconds(0.9), "the retry did not wait for Retry-After");
    }

    [Fact]
    public async Task A_4xx_is_never_retried()
    {
        const string project = "no-retry-401";
        using var client = new GraphQLClient(fixture.Gateway.GraphQLEndpoint, token: "token-unknown");

        var response = await client.PostAsync(Query, new { p = project });

        Assert.Equal(["UPSTREAM_UNAUTHORIZED"], response.ErrorCodes);
        Assert.Equal(1, fixture.CallsFor(project));
    }

    [Fact]
    public async Task A_refused_connection_is_UPSTREAM_UNAVAILABLE_within_the_deadline()
    {
        await using var gateway = new GatewayServer(new Uri($"http://127.0.0.1:{RedisServer.FreePort()}/"), FaultFixture.Settings);
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);

        var clock = Stopwatch.StartNew();
        var response = await client.PostAsync(Query, new { p = "refused" });

        Assert.Equal(["UPSTREAM_UNAVAILABLE"], response.ErrorCodes);
        Assert.True(clock.Elapsed < FaultFixture.Deadline + Margin, $"answered after {clock.Elapsed}");
    }

    [Fact]
    public async Task The_circuit_opens_on_a_failing_upstream_fails_fast_and_closes_by_itself()
    {
        var settings = FaultFixture.Settings;
        settings["Upstream:Retry:MaxRetries"] = "0";

        // The failures are fast 500s; the attempt timeout only has to let the recovery call
        // through on a busy machine, where a single try (no retries here) of 500 ms can miss.
        settings["Upstream:Timeout"] = FaultFixture.Deadline.ToString();
        settings["Upstream:CircuitBreaker:MinimumThroughput"] = "4";
        settings["Upstream:CircuitBreaker:FailureRatio"] = "0.5";
        settings["Upstream:CircuitBreaker:BreakDuration"] = "00:01:00";

        // The break runs out on the pipeline's TimeProvider, the gateway's: steered here. (Its
        // timeouts never fire on this clock; the failures are fast 500s and need none.)
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, settings, GatewayServer.OnClock(time));
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500, Times: 0));

        var failures = new List<GraphQLResponse>();
        for (var i = 0; i < 10; i++)
        {
            failures.Add(await client.PostAsync(Query, new { p = $"breaker-{i}" }));
        }

        var upstreamCalls = Enumerable.Range(0, 10).Sum(i => fixture.CallsFor($"breaker-{i}"));
        Assert.All(failures, response => Assert.Equal(["UPSTREAM_UNAVAILABLE"], response.ErrorCodes));
        Assert.True(upstreamCalls < 10, $"the circuit never opened: {upstreamCalls} upstream calls");
        Assert.Contains(failures, response => response.Errors![0]!["message"]!.GetValue<string>().Contains("circuit open", StringComparison.Ordinal));

        fixture.Emulator.Control.ClearFaults();

        time.Advance(TimeSpan.FromSeconds(59));
        var stillOpen = await client.PostAsync(Query, new { p = "breaker-still-open" });
        Assert.Equal(0, fixture.CallsFor("breaker-still-open"));
        Assert.Equal(["UPSTREAM_UNAVAILABLE"], stillOpen.ErrorCodes);
        time.Advance(TimeSpan.FromSeconds(1));
        var recovered = await client.PostAsync(Query, new { p = "breaker-recovered" });
        Assert.True(recovered.Errors is null, recovered.ToString());
    }
}
