using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Scaling;

/// <summary>
/// Replicas on one Redis continue each other's cursors without Paging:CursorSecret: they agree
/// on one key through Redis, which outlives them; a configured secret still wins.
/// </summary>
public sealed class SharedCursorKeyTests
{
    private const string Page = "query($p: String, $after: String) { qualityTaskInstances(projectId: $p, first: 5, after: $after) { pageInfo { endCursor } nodes { id } } }";

    [Fact]
    public async Task Replicas_without_a_secret_continue_each_others_cursors_and_a_restarted_one_too()
    {
        await using var cluster = await ReplicaCluster.StartAsync(new EmulatorOptions { InstancesPerProject = 50 }, new Dictionary<string, string> { ["Paging:CursorSecret"] = "" }, replicas: 2);
        var (firstPage, cursor) = await PageAsync(cluster.Replicas[0], after: null);
        var (secondViaA, _) = await PageAsync(cluster.Replicas[0], cursor);
        var (secondViaB, _) = await PageAsync(cluster.Replicas[1], cursor);
        Assert.Equal(secondViaA, secondViaB);
        Assert.Empty(firstPage.Intersect(secondViaA));

        // A replica started later (after a deploy, say) finds the key in Redis and adopts it.
        // Its first ask can time out on a loaded machine; it asks again every second until Redis answers.
        await using var later = await GatewayProcess.StartAsync(GatewayProcess.BuiltGatewayDll, Settings(cluster, secret: ""));
        await Eventually.UntilAsync(() => Task.FromResult(later.Output.Contains("signed with the key the replicas share", StringComparison.Ordinal)), TimeSpan.FromSeconds(20), "the later replica never adopted the shared key");
        var (secondViaLater, _) = await PageAsync(later, cursor);
        Assert.Equal(secondViaA, secondViaLater);
    }

    [Fact]
    public async Task A_configured_secret_wins_over_the_shared_key()
    {
        await using var cluster = await ReplicaCluster.StartAsync(new EmulatorOptions { InstancesPerProject = 50 }, new Dictionary<string, string> { ["Paging:CursorSecret"] = "" }, replicas: 1);
        await using var withSecret = await GatewayProcess.StartAsync(GatewayProcess.BuiltGatewayDll, Settings(cluster, secret: GatewayServer.CursorSecret));
        var (_, sharedKeyCursor) = await PageAsync(cluster.Replicas[0], after: null);

        using var client = new GraphQLClient(withSecret.GraphQLEndpoint);
        var response = await client.PostAsync(Page, new { p = "shared-key", after = sharedKeyCursor });

        Assert.Equal(["INVALID_CURSOR"], response.ErrorCodes);
    }

    private static Dictionary<string, string> Settings(ReplicaCluster cluster, string secret) => new()
    {
        ["Upstream:BaseUrl"] = cluster.Emulator.BaseAddress.ToString(),
        ["Redis:Configuration"] = cluster.Redis.Configuration,
        ["Paging:CursorSecret"] = secret,
        ["Ide:Enabled"] = "false",

        // Its "signed with the key the replicas share" line says when a replica adopted the key.
        ["Logging:LogLevel:Gateway.Caching.SharedCursorKey"] = "Information",
    };

    private static async Task<(List<string> Ids, string Cursor)> PageAsync(GatewayProcess replica, string? after)
    {
        using var client = new GraphQLClient(replica.GraphQLEndpoint);
        var response = await client.PostAsync(Page, new { p = "shared-key", after });
        Assert.True(response.Errors is null, response.ToString());
        var connection = response.Data["qualityTaskInstances"]!;
        return (
            [.. connection["nodes"]!.AsArray().Select(node => node!["id"]!.GetValue<string>())],
            connection["pageInfo"]!["endCursor"]!.GetValue<string>());
    }
}
