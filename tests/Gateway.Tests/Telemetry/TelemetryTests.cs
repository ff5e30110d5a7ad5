using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using QualityApi.Emulator;

namespace Gateway.Tests.Telemetry;

[Collection(GatewayCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    // Used by no test outside this collection, so no other test's spans can carry it.
    private const string Token = "token-bob-9876543210";

    private readonly GatewayFixture fixture;
    private readonly ConcurrentQueue<Activity> _activities = new();
    private readonly ActivityListener _listener;

    public TelemetryTests(GatewayFixture fixture)
    {
        this.fixture = fixture;
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        fixture.Emulator.Control.ClearFaults();
    }

    [Fact]
    public async Task One_trace_runs_from_the_graphql_operation_through_the_cache_to_the_upstream_call()
    {
        using var client = fixture.Client(Token);

        var response = await client.PostAsync("query Traced { qualityTaskInstances(projectId: \"traced\", first: 3) { totalCount } }");

        Assert.True(response.Errors is null, response.ToString());
        var operation = Assert.Single(_activities, activity => activity.Source.Name == "GraphQL" && activity.DisplayName.Contains("Traced", StringComparison.Ordinal));
        var trace = operation.TraceId;
        var cache = Assert.Single(_activities, activity => activity.DisplayName == "cache block" && activity.TraceId == trace);
        var fetch = Assert.Single(_activities, activity => activity.DisplayName == "upstream fetch" && activity.TraceId == trace);
        var upstream = Assert.Single(_activities, activity => activity.Source.Name == "System.Net.Http" && activity.DisplayName == "GET" && activity.TraceId == trace);
        Assert.Equal(operation.SpanId, cache.ParentSpanId);
        Assert.Equal("Miss", cache.GetTagItem("gateway.cache.outcome"));
        Assert.Equal(cache.SpanId, fetch.ParentSpanId);
        Assert.Equal(fetch.SpanId, upstream.ParentSpanId);
        var seen = Assert.Single(fixture.Emulator.Control.Requests, request => request.ProjectId == "traced");
        Assert.NotNull(seen.TraceParent);
        Assert.Contains(trace.ToHexString(), seen.TraceParent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_log_line_span_or_tag_contains_the_token()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = new GatewayServer(
            fixture.Emulator.BaseAddress,
            new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Trace", ["Upstream:Timeout"] = "00:00:01" },
            builder => builder.ConfigureLogging(logging => logging.AddProvider(logs)));
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, Token, GraphQLClient.DefaultWorkspace);
        using var unknown = new GraphQLClient(gateway.GraphQLEndpoint, Token + "-unknown", GraphQLClient.DefaultWorkspace);

        // Success, upstream 401, upstream 500, a timeout, bad input: every path that logs.
        await client.PostAsync("{ qualityTaskInstances(projectId: \"secret-ok\", first: 5) { nodes { id } } }");
        await unknown.PostAsync("{ qualityTaskInstances(projectId: \"secret-401\") { totalCount } }");
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.ServerError500));
        await client.PostAsync("{ qualityTaskInstances(projectId: \"secret-500\") { totalCount } }");
        fixture.Emulator.Control.InjectFault(new Fault(FaultKind.Slow, DelayMilliseconds: 3_000));
        await client.PostAsync("{ qualityTaskInstances(projectId: \"secret-slow\") { totalCount } }");
        await client.PostAsync("{ qualityTaskInstances(projectId: \"secret-ok\", after: \"forged\") { totalCount } }");
        await client.PostAsync("{ qualityTaskInstances(");

        Assert.NotEmpty(logs.Lines);
        Assert.NotEmpty(_activities);
        foreach (var line in logs.Lines)
        {
            Assert.DoesNotContain(Token, line, StringComparison.Ordinal);
        }

        foreach (var activity in _activities)
        {
            var text = string.Join(" ", activity.DisplayName, string.Join(",", activity.TagObjects.Select(tag => $"{tag.Key}={tag.Value}")), string.Join(",", activity.Events.Select(e => e.Name + string.Join(",", e.Tags.Select(tag => $"{tag.Key}={tag.Value}")))));
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        }
    }
}
