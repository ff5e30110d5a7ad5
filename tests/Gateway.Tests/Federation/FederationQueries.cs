using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>The requests a federation router sends to a subgraph, written as it writes them.</summary>
internal static class FederationQueries
{
    public const string ServiceSdl = "query { _service { sdl } }";

    // As a router asks for entities: variables for the representations, __typename and an
    // inline fragment per entity type.
    public const string Entities = """
        query($representations: [_Any!]!) {
          _entities(representations: $representations) {
            __typename
            ... on QualityTaskInstance { id name taskId taskType runStatus notifyStatus startTime endTime }
          }
        }
        """;

    public const string Page = "query($p: String, $first: Int, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: $first, where: $where) { nodes { id name taskId taskType runStatus notifyStatus startTime endTime } } }";

    public static async Task<string> FetchSdlAsync(GraphQLClient client)
    {
        var response = await client.PostAsync(ServiceSdl);
        Assert.True(response.Errors is null, response.ToString());
        return response.Data["_service"]!["sdl"]!.GetValue<string>();
    }

    /// <summary>A page of instances as this client sees them.</summary>
    public static async Task<IReadOnlyList<JsonNode>> ListAsync(GraphQLClient client, string projectId, int first, object? where = null)
    {
        var response = await client.PostAsync(Page, new { p = projectId, first, where });
        Assert.True(response.Errors is null, response.ToString());
        return response.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Select(node => node!).ToList();
    }

    public static Task<GraphQLResponse> ResolveAsync(GraphQLClient client, params object[] ids) =>
        client.PostAsync(Entities, new { representations = ids.Select(id => new Dictionary<string, object> { ["__typename"] = "QualityTaskInstance", ["id"] = id }).ToArray() });

    /// <summary>The error reported for one entity, by its position in _entities.</summary>
    public static JsonNode? ErrorAt(GraphQLResponse response, int index) =>
        response.Errors?.SingleOrDefault(error => error?["path"]?.ToJsonString() == $"[\"_entities\",{index}]");

    public static string? CodeAt(GraphQLResponse response, int index) => ErrorAt(response, index)?["extensions"]?["code"]?.GetValue<string>();
}
