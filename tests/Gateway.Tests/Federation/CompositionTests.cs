using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// Composes the gateway's live <c>_service { sdl }</c> with a second subgraph using Apollo's own
/// composition library (npm, pinned in Federation/composition), as a router's build step would.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class CompositionTests(GatewayFixture fixture) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly string Folder = Path.Combine(Repository.TestProject, "Federation", "composition");

    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("gateway-composition-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task The_gateway_composes_with_a_subgraph_that_extends_QualityTaskInstance()
    {
        using var client = fixture.Client();
        var gateway = Path.Combine(_work.FullName, "gateway.graphql");
        await File.WriteAllTextAsync(gateway, await FederationQueries.FetchSdlAsync(client));

        var (exitCode, supergraph, errors) = await ComposeAsync(gateway, Path.Combine(Folder, "reviews.graphql"));

        Assert.True(exitCode == 0, $"Composition failed (exit {exitCode}):\n{errors}");
        var entity = TypeBlock(supergraph, "QualityTaskInstance");
        Assert.Contains("@join__type(graph: GATEWAY, key: \"id\")", entity, StringComparison.Ordinal);
        Assert.Contains("@join__type(graph: REVIEWS, key: \"id\")", entity, StringComparison.Ordinal);
        Assert.Contains("name: String! @join__field(graph: GATEWAY)", entity, StringComparison.Ordinal);
        Assert.Contains("runStatus: QualityRunStatus! @join__field(graph: GATEWAY)", entity, StringComparison.Ordinal);
        Assert.Contains("reviewNote: String @join__field(graph: REVIEWS)", entity, StringComparison.Ordinal);
        Assert.Contains("qualityTaskInstances(", TypeBlock(supergraph, "Query"), StringComparison.Ordinal);
        Assert.Contains("latestReviews(", TypeBlock(supergraph, "Query"), StringComparison.Ordinal);
    }

    // The other half of the contract: composition that fails says why and fails the test,
    // rather than passing on an empty supergraph.
    [Fact]
    public async Task A_subgraph_that_contradicts_the_gateway_fails_with_every_error_printed()
    {
        using var client = fixture.Client();
        var gateway = Path.Combine(_work.FullName, "gateway.graphql");
        await File.WriteAllTextAsync(gateway, await FederationQueries.FetchSdlAsync(client));
        var conflicting = Path.Combine(_work.FullName, "conflicting.graphql");
        await File.WriteAllTextAsync(conflicting, """
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.0", import: ["@key"])
            type Query { conflicting: QualityTaskInstance }
            type QualityTaskInstance @key(fields: "id") { id: ID! name: Int taskId: Boolean }
            """);

        var (exitCode, supergraph, errors) = await ComposeAsync(gateway, conflicting);

        Assert.NotEqual(0, exitCode);
        Assert.Empty(supergraph);
        Assert.Contains("QualityTaskInstance.name", errors, StringComparison.Ordinal);
        Assert.Contains("QualityTaskInstance.taskId", errors, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> ComposeAsync(params string[] subgraphs)
    {
        Assert.True(
            Directory.Exists(Path.Combine(Folder, "node_modules", "@apollo", "composition")),
            $"The composition tooling is not installed: run `npm ci` in {Folder} (tests/run.sh does).");
        var result = await NodeScript.RunAsync(Folder, "compose.mjs", Timeout, subgraphs);
        return (result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>The definition of one type in a printed schema, from its name to its closing brace.</summary>
    private static string TypeBlock(string sdl, string typeName)
    {
        var start = sdl.IndexOf($"\ntype {typeName}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"type {typeName} is not in the supergraph:\n{sdl}");
        var end = sdl.IndexOf("\n}", start, StringComparison.Ordinal);
        return sdl[start..end];
    }
}
