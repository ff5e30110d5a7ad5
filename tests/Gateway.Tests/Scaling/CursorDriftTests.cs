using System.Globalization;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scaling;

/// <summary>
/// New task instances keep arriving at the head of the list while a client pages forward:
/// offsets shift under its cursors, yet it sees every item that existed when it started,
/// exactly once and in order.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class CursorDriftTests(ReplicaFixture fixture)
{
    private const string Page = "query($p: String, $after: String) { qualityTaskInstances(projectId: $p, first: 20, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }";

    [Theory]
    [InlineData("drift-cached", false)]
    [InlineData("drift-refreshed", true)]
    public async Task Paging_forward_through_1000_items_while_new_ones_arrive_sees_each_old_item_once_in_order(string project, bool refreshEveryPage)
    {
        var before = fixture.Emulator.Control.Dataset(project).Take(1000).Select(item => item.Id.ToString(CultureInfo.InvariantCulture)).ToList();
        var replicas = fixture.Replicas.Select(replica => new GraphQLClient(replica.GraphQLEndpoint, "token-drift", "ws-drift")).ToList();
        try
        {
            var seen = new List<string>();
            string? after = null;
            for (var page = 0; seen.Count < 1000; page++)
            {
                // Every page from another replica, and three new instances between pages.
                var response = await replicas[page % 3].PostAsync(Page, new { p = project, after }, request =>
                {
                    if (refreshEveryPage)
                    {
                        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
                    }
                });
                Assert.True(response.Errors is null, $"page {page}: {response}");
                var connection = response.Data["qualityTaskInstances"]!;
                seen.AddRange(connection["nodes"]!.AsArray().Select(node => node!["id"]!.GetValue<string>()));
                after = connection["pageInfo"]!["endCursor"]!.GetValue<string>();
                fixture.Emulator.Control.InsertAtHead(project, 3);
            }

            Assert.Equal(before, seen.Take(1000));
        }
        finally
        {
            replicas.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_cursor_whose_item_has_moved_out_of_reach_is_STALE_CURSOR()
    {
        const string project = "drift-flood";
        using var client = new GraphQLClient(fixture.Replicas[0].GraphQLEndpoint, "token-flood", "ws-flood");
        var first = await client.PostAsync(Page, new { p = project });
        var cursor = first.Data["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();

        // Far more new items than the neighbouring blocks can absorb.
        fixture.Emulator.Control.InsertAtHead(project, 500);
        var next = await client.PostAsync(Page, new { p = project, after = cursor }, request => request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true });

        Assert.Equal(["STALE_CURSOR"], next.ErrorCodes);
    }
}
