using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Scaling;

/// <summary>Three gateway processes on one Redis behave as one gateway.</summary>
[Collection(ReplicaCollection.Name)]
public sealed class ReplicaTests(ReplicaFixture fixture)
{
    private const string Page = "query($p: String, $first: Int, $last: Int, $after: String) { qualityTaskInstances(projectId: $p, first: $first, last: $last, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }";

    [Fact]
    public async Task Three_hundred_concurrent_identical_cold_requests_over_three_replicas_make_one_upstream_call_per_block()
    {
        var clients = fixture.Replicas.Select(replica => new GraphQLClient(replica.GraphQLEndpoint, "token-crowd", "ws-crowd")).ToList();
        try
        {
            // first: 10 needs block 0; last: 10 of 1,200 needs block 0 (the total) and block 11.
            var firsts = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => clients[i % 3].PostAsync(Page, new { p = "crowd-first", first = 10 })));
            var lasts = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => clients[i % 3].PostAsync(Page, new { p = "crowd-last", last = 10 })));

            Assert.All(firsts.Concat(lasts), response => Assert.True(response.Errors is null, response.ToString()));
            Assert.Single(firsts.Select(response => response.Body).Distinct());
            Assert.Single(lasts.Select(response => response.Body).Distinct());
            Assert.True(fixture.CallsFor("crowd-first") == 1, $"{fixture.CallsFor("crowd-first")} calls\n" + fixture.Cluster.Logs);
            Assert.Equal(2, fixture.CallsFor("crowd-last"));
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    [Fact]
    public async Task A_client_that_alternates_replicas_on_every_page_gets_what_one_replica_gives()
    {
        var alternating = fixture.Replicas.Select(replica => new GraphQLClient(replica.GraphQLEndpoint, "token-alternating", "ws-a")).ToList();
        using var single = new GraphQLClient(fixture.Replicas[0].GraphQLEndpoint, "token-single", "ws-a");
        try
        {
            var viaOne = await WalkAsync(_ => single, "alternating");
            var viaAll = await WalkAsync(page => alternating[page % 3], "alternating");

            Assert.Equal(1200, viaOne.Count);
            Assert.Equal(viaOne, viaAll);
        }
        finally
        {
            alternating.ForEach(client => client.Dispose());
        }
    }

    private static async Task<List<string>> WalkAsync(Func<int, GraphQLClient> clientFor, string project)
    {
        var ids = new List<string>();
        string? after = null;
        for (var page = 0; page < 100; page++)
        {
            var response = await clientFor(page).PostAsync(Page, new { p = project, first = 25, after });
            Assert.True(response.Errors is null, response.ToString());
            var connection = response.Data["qualityTaskInstances"]!;
            ids.AddRange(connection["nodes"]!.AsArray().Select(node => node!["id"]!.GetValue<string>()));
            if (!connection["pageInfo"]!["hasNextPage"]!.GetValue<bool>())
            {
                break;
            }

            after = connection["pageInfo"]!["endCursor"]!.GetValue<string>();
        }

        return ids;
    }
}
