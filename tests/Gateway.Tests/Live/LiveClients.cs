using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Live;

/// <summary>The graphql-ws and graphql-sse client libraries, driven by Live/clients/subscribe.mjs.</summary>
public static class LiveClients
{
    private static readonly string Folder = Path.Combine(Repository.TestProject, "Live", "clients");

    /// <summary>Subscribes and returns, once the script ends, every line it printed.</summary>
    public static async Task<IReadOnlyList<JsonNode>> SubscribeAsync(string transport, Uri endpoint, string? token, string? workspace, string query, int count, TimeSpan? timeout = null)
    {
        Assert.True(
            Directory.Exists(Path.Combine(Folder, "node_modules", "graphql-ws")),
            $"The client libraries are not installed: run `npm ci` in {Folder} (tests/run.sh does).");
        var bound = timeout ?? TimeSpan.FromSeconds(30);
        var result = await NodeScript.RunAsync(
            Folder,
            "subscribe.mjs",
            bound + TimeSpan.FromSeconds(15),
            transport,
            endpoint.ToString(),
            token ?? "-",
            workspace ?? "-",
            query,
            count.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ((int)bound.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.False(lines.Any(line => line["timeout"] is not null), $"The {transport} client timed out: {result.Output}");
        return lines;
    }

    /// <summary>The changes among the lines: each next result's qualityTaskInstanceChanges.</summary>
    public static List<JsonNode> Changes(IEnumerable<JsonNode> lines) =>
        [.. lines.Select(line => line["next"]?["data"]?["qualityTaskInstanceChanges"]).OfType<JsonNode>()];
}
