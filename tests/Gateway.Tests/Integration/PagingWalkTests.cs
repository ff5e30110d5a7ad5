using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Integration;

/// <summary>
/// Walks whole lists through the gateway, forward and backward, and compares them with the
/// upstream's own offset/limit answer: same items, same order, no duplicates, no gaps.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class PagingWalkTests(GatewayFixture fixture)
{
    private const string Fields = "id name taskId taskType runStatus notifyStatus startTime endTime";

    private const string ForwardQuery = $$"""
        query($projectId: String, $first: Int, $after: String, $where: QualityTaskInstanceFilterInput) {
          qualityTaskInstances(projectId: $projectId, first: $first, after: $after, where: $where) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { {{Fields}} } }
            nodes { id }
          }
        }
        """;

    private const string BackwardQuery = $$"""
        query($projectId: String, $last: Int, $before: String, $where: QualityTaskInstanceFilterInput) {
          qualityTaskInstances(projectId: $projectId, last: $last, before: $before, where: $where) {
            totalCount
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
            edges { cursor node { {{Fields}} } }
          }
        }
        """;

    public static TheoryData<string, string> Filters() => new()
    {
        { "none", "{}" },
        { "runStatus", """{ "runStatus": { "eq": "FAILED" } }""" },
        { "taskType+notifyStatus", """{ "taskType": { "eq": "CONSISTENCY_TASK" }, "notifyStatus": { "eq": "SUCCESS" } }""" },
        { "name", """{ "name": { "eq": "@name" } }""" },
        { "startTime", """{ "startTime": { "gte": "@from", "lte": "@to" } }""" },
        { "all", """{ "name": { "eq": "@name" }, "taskType": { "eq": "QUALITY_TASK" }, "runStatus": { "eq": "SUCCESS" }, "notifyStatus": { "eq": "NOT_TRIGGERED" }, "startTime": { "gte": "@from" } }""" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Walking_forward_ten_at_a_time_equals_the_upstream_list(string label, string whereTemplate)
    {
        var projectId = "walk-forward-" + label.Replace('+', '-');
        var (where, upstreamQuery) = await BuildFilterAsync(projectId, whereTemplate);
        var (count, truth) = await UpstreamTruth.ListAllAsync(fixture.Emulator.BaseAddress, projectId, upstreamQuery);
        Assert.NotEmpty(truth);

        using var client = fixture.Client();
        var seen = new List<Instance>();
        string? after = null;
        for (var page = 0; ; page++)
        {
            Assert.True(page <= (count / 10) + 1, "the walk did not end");
            var response = await client.PostAsync(ForwardQuery, new { projectId, first = 10, after, where });
            Assert.True(response.Errors is null, response.ToString());
            var connection = response.Data["qualityTaskInstances"]!;
            Assert.Equal(count, connection["totalCount"]!.GetValue<int>());
            var pageInfo = connection["pageInfo"]!;
            Assert.Equal(page > 0, pageInfo["hasPreviousPage"]!.GetValue<bool>());
            var edges = connection["edges"]!.AsArray();
            seen.AddRange(edges.Select(edge => Instance.FromGateway(edge!["node"]!)));
            Assert.Equal(edges.Select(edge => edge!["node"]!["id"]!.GetValue<string>()), connection["nodes"]!.AsArray().Select(node => node!["id"]!.GetValue<string>()));
            if (edges.Count > 0)
            {
                Assert.Equal(edges[0]!["cursor"]!.GetValue<string>(), pageInfo["startCursor"]!.GetValue<string>());
                Assert.Equal(edges[^1]!["cursor"]!.GetValue<string>(), pageInfo["endCursor"]!.GetValue<string>());
            }

            if (!pageInfo["hasNextPage"]!.GetValue<bool>())
            {
                break;
            }

            after = pageInfo["endCursor"]!.GetValue<string>();
        }

        Assert.Equal(truth, seen);
        Assert.Equal(seen.Count, seen.Select(item => item.Id).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Walking_backward_ten_at_a_time_equals_the_upstream_list(string label, string whereTemplate)
    {
        var projectId = "walk-backward-" + label.Replace('+', '-');
        var (where, upstreamQuery) = await BuildFilterAsync(projectId, whereTemplate);
        var (count, truth) = await UpstreamTruth.ListAllAsync(fixture.Emulator.BaseAddress, projectId, upstreamQuery);
        Assert.NotEmpty(truth);

        using var client = fixture.Client();
        var pages = new List<List<Instance>>();
        string? before = null;
        for (var page = 0; ; page++)
        {
            Assert.True(page <= (count / 10) + 1, "the walk did not end");
            var response = await client.PostAsync(BackwardQuery, new { projectId, last = 10, before, where });
            Assert.True(response.Errors is null, response.ToString());
            var connection = response.Data["qualityTaskInstances"]!;
            Assert.Equal(count, connection["totalCount"]!.GetValue<int>());
            var pageInfo = connection["pageInfo"]!;
            Assert.Equal(page > 0, pageInfo["hasNextPage"]!.GetValue<bool>());
            pages.Add([.. connection["edges"]!.AsArray().Select(edge => Instance.FromGateway(edge!["node"]!))]);
            if (!pageInfo["hasPreviousPage"]!.GetValue<bool>())
            {
                break;
            }

            before = pageInfo["startCursor"]!.GetValue<string>();
        }

        pages.Reverse();
        var seen = pages.SelectMany(page => page).ToList();
        Assert.Equal(truth, seen);
        Assert.Equal(seen.Count, seen.Select(item => item.Id).Distinct().Count());
    }

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

    // Filters that are guaranteed to match part of the data: a name and a time range taken
    // from the project's own dataset.
    private async Task<(object Where, Dictionary<string, string> Upstream)> BuildFilterAsync(string projectId, string template)
    {
        var dataset = fixture.Emulator.Control.Dataset(projectId);
        var name = dataset[dataset.Count / 3].Name;
        var from = DateTimeOffset.FromUnixTimeMilliseconds(dataset[dataset.Count * 3 / 4].StartTime);
        var to = DateTimeOffset.FromUnixTimeMilliseconds(dataset[dataset.Count / 4].StartTime);
        var text = template
            .Replace("@name", name, StringComparison.Ordinal)
            .Replace("@from", from.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("@to", to.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var where = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(text);

        var upstream = new Dictionary<string, string>();
        if (where.TryGetProperty("name", out var n))
        {
            upstream["name"] = n.GetProperty("eq").GetString()!;
        }

        if (where.TryGetProperty("taskType", out var t))
        {
            upstream["task_type"] = t.GetProperty("eq").GetString()!;
        }

        if (where.TryGetProperty("runStatus", out var r))
        {
            upstream["run_status"] = r.GetProperty("eq").GetString()!;
        }

        if (where.TryGetProperty("notifyStatus", out var s))
        {
            upstream["notify_status"] = s.GetProperty("eq").GetString()!;
        }

        if (where.TryGetProperty("startTime", out var range))
        {
            if (range.TryGetProperty("gte", out var gte))
            {
                upstream["start_time"] = DateTimeOffset.Parse(gte.GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (range.TryGetProperty("lte", out var lte))
            {
                upstream["end_time"] = DateTimeOffset.Parse(lte.GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        await Task.CompletedTask;
        return (where, upstream);
    }
}
