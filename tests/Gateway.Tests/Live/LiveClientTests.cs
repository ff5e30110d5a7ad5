using Gateway.Tests.Infrastructure;
using static Gateway.Tests.Live.LiveClients;

namespace Gateway.Tests.Live;

/// <summary>The feed through real client libraries: graphql-ws over WebSocket and graphql-sse over Server-Sent Events.</summary>
[Collection(LiveCollection.Name)]
public sealed class LiveClientTests(LiveFixture fixture)
{
    private Uri Endpoint => fixture.Gateway.GraphQLEndpoint;

    [Theory]
    [InlineData("ws")]
    [InlineData("sse")]
    public async Task A_new_run_arrives_as_ADDED_and_its_end_as_UPDATED_with_every_field_as_qualityTaskInstances_serves_it(string transport)
    {
        var project = $"live-fields-{transport}";
        var subscribing = SubscribeAsync(transport, Endpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project), count: 2);
        await fixture.BaselineAsync(project);

        var run = fixture.Control.AppendRun(project);
        await fixture.NextPollAsync(project);
        fixture.Control.SetRunStatus(project, run.Id, "FAILED", "FAILED");
        var changes = Changes(await subscribing);

        Assert.Equal(2, changes.Count);
        var (added, updated) = (changes[0], changes[1]);
        Assert.Equal("ADDED", added["kind"]!.GetValue<string>());
        Assert.Equal(run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), added["instance"]!["id"]!.GetValue<string>());
        Assert.Equal("RUNNING", added["instance"]!["runStatus"]!.GetValue<string>());
        Assert.Equal(1201, added["totalCount"]!.GetValue<int>());
        Assert.Equal("UPDATED", updated["kind"]!.GetValue<string>());
        Assert.Equal("FAILED", updated["instance"]!["notifyStatus"]!.GetValue<string>());
        Assert.Equal((await fixture.ServedHeadAsync(project)).ToJsonString(), updated["instance"]!.ToJsonString());
    }

    [Fact]
    public async Task A_filtered_feed_sees_a_run_enter_when_it_starts_to_match()
    {
        const string project = "live-filter";
        var subscribing = SubscribeAsync("ws", Endpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project, "{ runStatus: { eq: FAILED } }"), count: 1);
        await fixture.BaselineAsync(project);

        var run = fixture.Control.AppendRun(project);
        await fixture.NextPollAsync(project);
        fixture.Control.SetRunStatus(project, run.Id, "FAILED");
        var change = Assert.Single(Changes(await subscribing));

        Assert.Equal("ADDED", change["kind"]!.GetValue<string>());
        Assert.Equal("FAILED", change["instance"]!["runStatus"]!.GetValue<string>());
        Assert.Equal(fixture.Control.Dataset(project).Count(instance => instance.RunStatus == "FAILED"), change["totalCount"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("ws")]
    [InlineData("sse")]
    public async Task Without_credentials_a_subscription_gets_UNAUTHENTICATED_and_no_data(string transport)
    {
        var lines = await SubscribeAsync(transport, Endpoint, token: null, workspace: null, LiveFixture.Subscription("live-anonymous"), count: 1);

        Assert.Empty(Changes(lines));
        var errors = lines.Select(line => line["error"]?["errors"] ?? line["next"]?["errors"]).OfType<System.Text.Json.Nodes.JsonArray>().Single();
        Assert.Equal("UNAUTHENTICATED", errors[0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal(0, fixture.Control.CallsFor("live-anonymous"));
    }

    [Fact]
    public async Task Two_callers_never_see_each_others_events_or_errors()
    {
        const string project = "live-isolation";
        var alice = SubscribeAsync("sse", Endpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project), count: 1);
        var refused = SubscribeAsync("ws", Endpoint, LiveFixture.ForbiddingToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project), count: 1);
        await fixture.BaselineAsync(project);

        var forbidden = await refused;
        fixture.Control.AppendRun(project);
        var seen = await alice;

        Assert.Empty(Changes(forbidden));
        Assert.Equal("UPSTREAM_FORBIDDEN", forbidden.Select(line => line["next"]?["errors"]?[0]?["extensions"]?["code"]).OfType<System.Text.Json.Nodes.JsonNode>().Single().GetValue<string>());
        Assert.Single(Changes(seen));
        Assert.DoesNotContain(seen, line => line["next"]?["errors"] is not null);
        var tokens = fixture.Control.Requests.Where(request => request.ProjectId == project).Select(request => request.Token).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal([GraphQLClient.DefaultToken, LiveFixture.ForbiddingToken], tokens);
    }

    [Fact]
    public async Task Polling_stops_when_the_last_subscriber_leaves()
    {
        const string project = "live-leaving";
        var subscribing = SubscribeAsync("ws", Endpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(project), count: 1);
        await fixture.BaselineAsync(project);
        fixture.Control.AppendRun(project);
        Assert.Single(Changes(await subscribing));

        await Eventually.UntilAsync(() => Task.FromResult(fixture.Hub.Feeds.All(feed => feed.Scope.ProjectId != project)), TimeSpan.FromSeconds(10), "the feed stopped (feeds left: " + string.Join(", ", fixture.Hub.Feeds.Select(feed => feed.Scope.ProjectId)) + ")");
        var calls = fixture.Control.CallsFor(project);

        // Another feed polls three times meanwhile: more than two intervals pass.
        const string probe = "live-leaving-probe";
        var probing = SubscribeAsync("sse", Endpoint, GraphQLClient.DefaultToken, GraphQLClient.DefaultWorkspace, LiveFixture.Subscription(probe), count: 1);
        await fixture.PollsAsync(probe, 0, more: 3);
        fixture.Control.AppendRun(probe);
        await probing;

        Assert.Equal(calls, fixture.Control.CallsFor(project));
    }
}
