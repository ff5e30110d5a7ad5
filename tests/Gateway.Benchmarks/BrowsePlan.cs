using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Benchmarks;

/// <summary>
/// Writes the BROWSE scenario's request list: 20 tokens x 3 workspaces, each user with a filter
/// from a small set and a walk of 1..20 pages of 10 (seeded, so every run replays the same
/// walks). Cursors are real: the walk is done once against a gateway with the same cursor
/// secret (the load script uses a throwaway one on the embedded emulator, whose data is the
/// standalone emulator's), so the measured gateway and its caches start cold.
/// </summary>
internal static class BrowsePlan
{
    public const int Tokens = 20;
    public const int Workspaces = 3;
    public const int MaxPages = 20;
    public const string ProjectId = "browse-project";

    private static readonly string[] Filters =
    [
        "",
        ", where: { runStatus: { eq: FAILED } }",
        ", where: { taskType: { eq: QUALITY_TASK } }",
        ", where: { notifyStatus: { eq: SUCCESS } }",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length != 2)
        {
            await Console.Error.WriteLineAsync("usage: prepare-browse <gateway /graphql url> <output file>");
            return 2;
        }

        using var http = new HttpClient { BaseAddress = new Uri(args[0]), Timeout = TimeSpan.FromSeconds(30) };
        var random = new Random(20_240_501);
        var walks = new List<List<string>>();
        for (var token = 0; token < Tokens; token++)
        {
            for (var workspace = 0; workspace < Workspaces; workspace++)
            {
                var caller = $"browse-token-{token:D2}\tws-{(char)('a' + workspace)}";
                var filter = Filters[random.Next(Filters.Length)];
                walks.Add(await WalkAsync(http, caller, filter, pages: random.Next(1, MaxPages + 1)));
            }
        }

        // Interleaved by page number: every user asks for page 1, then every user still
        // browsing asks for page 2, and so on, the way concurrent users move forward.
        var lines = new StringBuilder();
        for (var page = 0; page < MaxPages; page++)
        {
            foreach (var walk in walks.Where(walk => page < walk.Count))
            {
                lines.Append(walk[page]).Append('\n');
            }
        }

        await File.WriteAllTextAsync(args[1], lines.ToString());
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{walks.Count} users, {walks.Sum(walk => walk.Count)} page requests written to {args[1]}"));
        return 0;
    }

    private static async Task<List<string>> WalkAsync(HttpClient http, string caller, string filter, int pages)
    {
        var query = $"query Browse($after: String) {{ qualityTaskInstances(projectId: \"{ProjectId}\", first: 10, after: $after{filter}) {{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ id name taskId taskType runStatus notifyStatus startTime endTime }} }} }}";
        var parts = caller.Split('\t');
        var lines = new List<string>(pages);
        string? after = null;
        for (var page = 0; page < pages; page++)
        {
            var body = JsonSerializer.Serialize(new BrowseRequest(query, new BrowseVariables(after)), BrowseJsonContext.Default.BrowseRequest);
            lines.Add($"{caller}\t{body}");
            using var request = new HttpRequestMessage(HttpMethod.Post, "") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Auth-Token", parts[0]);
            request.Headers.Add("workspace", parts[1]);
            using var response = await http.SendAsync(request);
            var answer = await response.Content.ReadFromJsonAsync<JsonNode>() ?? throw new InvalidOperationException("Empty answer.");
            var pageInfo = answer["data"]?["qualityTaskInstances"]?["pageInfo"] ?? throw new InvalidOperationException($"The walk failed: {answer.ToJsonString()}");
            after = pageInfo["endCursor"]?.GetValue<string>();
            if (after is null || !pageInfo["hasNextPage"]!.GetValue<bool>())
            {
                break;
            }
        }

        return lines;
    }
}

internal sealed record BrowseRequest(string Query, BrowseVariables Variables);

internal sealed record BrowseVariables(string? After);

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(BrowseRequest))]
internal sealed partial class BrowseJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
