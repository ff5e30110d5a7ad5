using System.Globalization;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Reads a whole filtered list straight from the emulator with offset/limit, the way the
/// upstream documents it: the truth every gateway walk is compared with.
/// </summary>
public static class UpstreamTruth
{
    public static async Task<(int Count, List<Instance> Items)> ListAllAsync(Uri emulator, string projectId, IReadOnlyDictionary<string, string> query, string token = GraphQLClient.DefaultToken, string workspace = GraphQLClient.DefaultWorkspace)
    {
        using var http = new HttpClient { BaseAddress = emulator };
        var items = new List<Instance>();
        var count = 0;
        for (var offset = 0; ; offset += 100)
        {
            var parameters = query.Select(pair => $"{pair.Key}={Uri.EscapeDataString(pair.Value)}").Append($"limit=100").Append(string.Create(CultureInfo.InvariantCulture, $"offset={offset}"));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/{projectId}/quality/instances?{string.Join('&', parameters)}");
            request.Headers.Add("X-Auth-Token", token);
            request.Headers.Add("workspace", workspace);
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            count = body["count"]!.GetValue<int>();
            var resources = body["resources"]!.AsArray();
            items.AddRange(resources.Select(node => Instance.FromUpstream(node!)));
            if (resources.Count == 0 || offset + 100 >= count)
            {
                return (count, items);
            }
        }
    }
}

/// <summary>An item as compared across the two APIs: ids as exact decimal text, times as ISO-8601 UTC.</summary>
public sealed record Instance(string Id, string Name, string TaskId, string TaskType, string RunStatus, string NotifyStatus, string? StartTime, string? EndTime)
{
    public static Instance FromUpstream(JsonNode node) => new(
        RawInteger(node["id"]!),
        node["name"]!.GetValue<string>(),
        RawInteger(node["task_id"]!),
        node["task_type"]!.GetValue<string>(),
        node["run_status"]!.GetValue<string>(),
        node["notify_status"]!.GetValue<string>(),
        Iso(node["start_time"]),
        Iso(node["end_time"]));

    public static Instance FromGateway(JsonNode node) => new(
        node["id"]!.GetValue<string>(),
        node["name"]!.GetValue<string>(),
        node["taskId"]!.GetValue<string>(),
        node["taskType"]!.GetValue<string>(),
        node["runStatus"]!.GetValue<string>(),
        node["notifyStatus"]!.GetValue<string>(),
        node["startTime"]?.GetValue<string>(),
        node["endTime"]?.GetValue<string>());

    // The integer as written in the JSON text: no double ever touches it.
    private static string RawInteger(JsonNode node) => node.ToJsonString();

    private static string? Iso(JsonNode? node) => node is null
        ? null
        : DateTimeOffset.FromUnixTimeMilliseconds(node.GetValue<long>()).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
