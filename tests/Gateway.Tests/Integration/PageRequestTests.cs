using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Integration;

/// <summary>
/// What one page asks the upstream for and what it gives back: exact ids, the window past the
/// end, the default page size, the block calls, and the caller's headers and filters as the
/// upstream's own parameters.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PageRequestTests(GatewayFixture fixture)
{
    [Fact]
    public async Task Ids_above_two_to_the_53_arrive_exactly()
    {
        const string projectId = "exact-ids";
        var dataset = fixture.Emulator.Control.Dataset(projectId);
        using var client = fixture.Client();

        var response = await client.PostAsync("query($p: String) { qualityTaskInstances(projectId: $p, first: 100) { nodes { id taskId } } }", new { p = projectId });

        var nodes = response.Data["qualityTaskInstances"]!["nodes"]!.AsArray();
        Assert.Equal(100, nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
        {
            Assert.True(dataset[i].Id > (1L << 53));
            Assert.Equal(dataset[i].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), nodes[i]!["id"]!.GetValue<string>());
            Assert.Equal(dataset[i].TaskId.ToString(System.Globalization.CultureInfo.InvariantCulture), nodes[i]!["taskId"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_window_past_the_end_is_an_empty_page()
    {
        const string projectId = "past-the-end";
        using var client = fixture.Client();
        var last = await client.PostAsync("query($p: String) { qualityTaskInstances(projectId: $p, last: 1) { totalCount pageInfo { endCursor } } }", new { p = projectId });
        var endCursor = last.Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        var response = await client.PostAsync(
            "query($p: String, $a: String) { qualityTaskInstances(projectId: $p, first: 10, after: $a) { totalCount edges { cursor } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
            new { p = projectId, a = endCursor });

        Assert.True(response.Errors is null, response.ToString());
        var connection = response.Data["qualityTaskInstances"]!;
        Assert.Empty(connection["edges"]!.AsArray());
        Assert.Equal(1200, connection["totalCount"]!.GetValue<int>());
        Assert.False(connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>());
        Assert.True(connection["pageInfo"]!["hasPreviousPage"]!.GetValue<bool>());
        Assert.Null(connection["pageInfo"]!["startCursor"]);
    }

    [Fact]
    public async Task No_first_or_last_returns_the_default_page_of_ten()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("{ qualityTaskInstances(projectId: \"default-size\") { nodes { id } } }");

        Assert.Equal(10, response.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_page_spanning_two_blocks_is_fetched_with_two_upstream_calls()
    {
        const string projectId = "two-blocks";
        using var client = fixture.Client();
        var first = await client.PostAsync("query($p: String) { qualityTaskInstances(projectId: $p, first: 95) { pageInfo { endCursor } } }", new { p = projectId });
        var cursor = first.Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        var before = CallsFor(projectId);

        var response = await client.PostAsync("query($p: String, $a: String) { qualityTaskInstances(projectId: $p, first: 10, after: $a) { nodes { id } } }", new { p = projectId, a = cursor });

        Assert.Equal(10, response.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Count);
        Assert.Equal(1, CallsFor(projectId) - before);
        var offsets = fixture.Emulator.Control.Requests.Where(r => r.ProjectId == projectId).Select(r => r.QueryString).ToList();
        Assert.Contains(offsets, query => query.Contains("offset=0", StringComparison.Ordinal));
        Assert.Contains(offsets, query => query.Contains("offset=100", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_callers_token_and_workspace_reach_the_upstream()
    {
        const string projectId = "passthrough";
        using var client = fixture.Client("token-bob-9876543210", "ws-bobs");

        var response = await client.PostAsync("query($p: String) { qualityTaskInstances(projectId: $p, first: 1) { totalCount } }", new { p = projectId });

        Assert.True(response.Errors is null, response.ToString());
        var seen = Assert.Single(fixture.Emulator.Control.Requests, r => r.ProjectId == projectId);
        Assert.Equal("token-bob-9876543210", seen.Token);
        Assert.Equal("ws-bobs", seen.Workspace);
        Assert.Contains("limit=100", seen.QueryString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_reach_the_upstream_as_its_query_parameters()
    {
        const string projectId = "filter-mapping";
        using var client = fixture.Client();
        var where = new
        {
            name = new { eq = "rule a&b" },
            taskType = new { eq = "CONSISTENCY_TASK" },
            runStatus = new { eq = "ALARMING" },
            notifyStatus = new { eq = "NOT_TRIGGERED" },
            startTime = new { gte = "2022-08-25T07:41:21.000Z", lte = "2022-08-26T09:00:00+02:00" },
        };

        await client.PostAsync("query($p: String, $w: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, where: $w) { totalCount } }", new { p = projectId, w = where });

        var query = Assert.Single(fixture.Emulator.Control.Requests, r => r.ProjectId == projectId).QueryString;
        var parameters = System.Web.HttpUtility.ParseQueryString(query);
        Assert.Equal("rule a&b", parameters["name"]);
        Assert.Equal("CONSISTENCY_TASK", parameters["task_type"]);
        Assert.Equal("ALARMING", parameters["run_status"]);
        Assert.Equal("NOT_TRIGGERED", parameters["notify_status"]);
        Assert.Equal("1661413281000", parameters["start_time"]);
        Assert.Equal("1661497200000", parameters["end_time"]);
        Assert.Equal("100", parameters["limit"]);
        Assert.Equal("0", parameters["offset"]);
    }

    private long CallsFor(string projectId) => fixture.Emulator.Control.CallsFor(projectId);
}
