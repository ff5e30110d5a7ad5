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
