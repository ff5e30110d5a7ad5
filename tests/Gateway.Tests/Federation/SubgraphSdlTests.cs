using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>What a router reads from <c>_service { sdl }</c> to compose this subgraph.</summary>
[Collection(GatewayCollection.Name)]
public sealed class SubgraphSdlTests(GatewayFixture fixture)
{
    [Fact]
    public async Task The_sdl_links_federation_v2_and_keys_QualityTaskInstance_by_id()
    {
        using var client = fixture.Client();

        var sdl = await FederationQueries.FetchSdlAsync(client);

        Assert.Contains("@link(url: \"https://specs.apollo.dev/federation/v2.", sdl, StringComparison.Ordinal);
        Assert.Contains("type QualityTaskInstance @key(fields: \"id\") {", sdl, StringComparison.Ordinal);
        Assert.Contains("union _Entity = QualityTaskInstance", sdl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sdl_needs_no_credentials_like_introspection()
    {
        using var client = fixture.Client(token: null, workspace: null);

        var sdl = await FederationQueries.FetchSdlAsync(client);

        Assert.Contains("qualityTaskInstances(", sdl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_committed_schema_file_is_what_the_service_field_serves()
    {
        using var client = fixture.Client();
        var committed = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "schema", "schema.graphql"));

        var served = await FederationQueries.FetchSdlAsync(client);

        Assert.True(
            Gateway.GraphQL.SchemaExport.Normalize(served) == committed.ReplaceLineEndings("\n"),
            "schema/schema.graphql is not the SDL that _service { sdl } serves: run `dotnet run --project src/Gateway -- schema export` and commit the result.");
    }
}
