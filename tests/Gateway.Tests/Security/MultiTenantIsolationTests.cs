using System.Collections.Concurrent;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security;

/// <summary>
/// Many tokens with different upstream access rules, two replicas sharing one Redis, random
/// concurrent queries: no response may ever hold data its token may not see.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class MultiTenantIsolationTests(CacheFixture fixture)
{
    private const string Query = "query($p: String, $first: Int, $last: Int, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, last: $last, where: $where) { totalCount nodes { id } } }";

    private static readonly string[] Projects = ["alice-project", "bob-project", "common-project", "carol-project"];
    private static readonly string[] Workspaces = [CacheFixture.AliceWorkspace, CacheFixture.BobWorkspace, "ws-carol"];
    private static readonly object?[] Filters =
    [
        null,
        new { runStatus = new { eq = "FAILED" } },
        new { taskType = new { eq = "CONSISTENCY_TASK" } },
        new { notifyStatus = new { eq = "SUCCESS" } },
    ];

    [Fact]
    public async Task Random_concurrent_tenants_never_see_each_others_data()
    {
        await using var first = fixture.Gateway();
        await using var second = fixture.Gateway();
        var gateways = new[] { first, second };
        var tokens = new[] { CacheFixture.AliceToken, CacheFixture.BobToken, CacheFixture.CarolToken };
        var datasets = Projects.ToDictionary(project => project, project => fixture.Emulator.Control.Dataset(project).Select(item => item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet());
        var random = new Random(42);
        var plan = Enumerable.Range(0, 400).Select(_ => (
            Gateway: gateways[random.Next(gateways.Length)],
            Token: tokens[random.Next(tokens.Length)],
            Workspace: Workspaces[random.Next(Workspaces.Length)],
            Project: Projects[random.Next(Projects.Length)],
            Filter: Filters[random.Next(Filters.Length)],
            Size: random.Next(1, 30),
            FromEnd: random.Next(4) == 0)).ToList();

        var violations = new ConcurrentBag<string>();
        var served = 0;
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (call, _) =>
        {
            using var client = new GraphQLClient(call.Gateway.GraphQLEndpoint, call.Token, call.Workspace);
            var response = await client.PostAsync(Query, new { p = call.Project, first = call.FromEnd ? (int?)null : call.Size, last = call.FromEnd ? call.Size : (int?)null, where = call.Filter });
            var connection = response.Json["data"]?["qualityTaskInstances"];
            if (!MayRead(call.Token, call.Project, call.Workspace))
            {
                if (connection is not null || !response.ErrorCodes.SequenceEqual(["UPSTREAM_FORBIDDEN"]))
                {
                    violations.Add($"{call.Token[..11]} read {call.Project} in {call.Workspace}: {response}");
                }

                return;
            }

            if (connection is null)
            {
                violations.Add($"{call.Token[..11]} was refused {call.Project} in {call.Workspace}: {response}");
                return;
            }

            Interlocked.Increment(ref served);
            foreach (var node in connection["nodes"]!.AsArray())
            {
                var id = node!["id"]!.GetValue<string>();
                if (!datasets[call.Project].Contains(id))
                {
                    violations.Add($"{call.Token[..11]} got {id}, which is not in {call.Project}");
                }
            }
        });

        Assert.True(violations.IsEmpty, string.Join('\n', violations.Take(10)));
        Assert.True(served > 100, $"only {served} requests were allowed; the run proves little");
    }

    // The emulator's access rules (CacheFixture): alice reads her project and the common one in
    // her workspace, bob only his project in his workspace, carol anything.
    private static bool MayRead(string token, string project, string workspace) => token switch
    {
        CacheFixture.AliceToken => project is "alice-project" or "common-project" && workspace == CacheFixture.AliceWorkspace,
        CacheFixture.BobToken => project == "bob-project" && workspace == CacheFixture.BobWorkspace,
        _ => true,
    };
}
