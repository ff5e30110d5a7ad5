using Gateway.GraphQL;
using Gateway.Tests.Infrastructure;
using Snapshooter.Xunit;

namespace Gateway.Tests.GraphQL;

[Collection(GatewayCollection.Name)]
public sealed class SchemaTests(GatewayFixture fixture)
{
    private string ServedSchema => SchemaExport.Print(fixture.Gateway.Services);

    [Fact]
    public void The_schema_matches_its_snapshot() => Snapshot.Match(ServedSchema);

    [Fact]
    public void The_committed_schema_file_is_the_served_schema()
    {
        var path = Path.Combine(Repository.Root, "schema", "schema.graphql");
        Assert.True(File.Exists(path), $"{path} is missing: run `dotnet run --project src/Gateway -- schema export`.");

        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");

        Assert.True(committed == ServedSchema, "schema/schema.graphql differs from the served schema: run `dotnet run --project src/Gateway -- schema export` and commit the result.");
    }

    [Fact]
    public async Task A_first_page_matches_its_snapshot()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("""
            {
              qualityTaskInstances(projectId: "snapshot", first: 3) {
                totalCount
                pageInfo { hasNextPage hasPreviousPage }
                nodes { id name taskId taskType runStatus notifyStatus startTime endTime }
              }
            }
            """);

        Snapshot.Match(response.Json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }
}
