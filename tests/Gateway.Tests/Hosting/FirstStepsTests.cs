using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>A newcomer's first minutes, as the README writes them: its run command, then its first query, pasted as is.</summary>
public sealed partial class FirstStepsTests
{
    [Fact]
    public async Task The_readme_run_command_serves_the_emulator_and_the_first_queries_work_as_pasted()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        Assert.Contains("\ndotnet run --project src/Gateway --urls http://127.0.0.1:5080\n", readme, StringComparison.Ordinal);
        await using var gateway = await GatewayProcess.StartWithDotnetRunAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // What anyone types first in the IDE: no project id, a token, a workspace.
        var first = await PostAsync(http, gateway, """{"query":"{ qualityTaskInstances(first: 5) { totalCount nodes { id } } }"}""", [("X-Auth-Token", "demo-token"), ("workspace", "demo-workspace")]);
        Assert.True(first["errors"] is null, first.ToJsonString());
        Assert.Equal(3000, first["data"]!["qualityTaskInstances"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(5, first["data"]!["qualityTaskInstances"]!["nodes"]!.AsArray().Count);

        // The README's first query, its headers and body taken from the README itself.
        var section = readme[readme.IndexOf("## A first query", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("```\n", section.IndexOf("```bash", StringComparison.Ordinal) + 7, StringComparison.Ordinal)];
        var headers = Header().Matches(section).Select(match => (match.Groups["name"].Value, match.Groups["value"].Value)).Where(header => header.Item1 != "Content-Type").ToList();
        var body = Body().Match(section).Groups["body"].Value;
        Assert.NotEmpty(headers);
        var pasted = await PostAsync(http, gateway, body, headers);
        Assert.True(pasted["errors"] is null, pasted.ToJsonString());
        Assert.True(pasted["data"]!["qualityTaskInstances"]!["totalCount"]!.GetValue<int>() > 0, pasted.ToJsonString());

        // The README's first subscription, as pasted: the run mode's emulator starts runs on its
        // own, so a new one arrives within seconds.
        var subscription = readme[readme.IndexOf("## A first subscription", StringComparison.Ordinal)..];
        var start = subscription.IndexOf("```graphql\n", StringComparison.Ordinal) + "```graphql\n".Length;
        var document = subscription[start..subscription.IndexOf("```", start, StringComparison.Ordinal)];
        var lines = await Live.LiveClients.SubscribeAsync("ws", gateway.GraphQLEndpoint, "demo-token", "demo-workspace", document, count: 1, TimeSpan.FromSeconds(30));
        var change = Assert.Single(Live.LiveClients.Changes(lines));
        Assert.Equal("ADDED", change["kind"]!.GetValue<string>());
        Assert.Equal("RUNNING", change["instance"]!["runStatus"]!.GetValue<string>());
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, GatewayProcess gateway, string body, IEnumerable<(string Name, string Value)> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, gateway.GraphQLEndpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    [GeneratedRegex(@"-H '(?<name>[^:']+): (?<value>[^']*)'")]
    private static partial Regex Header();

    [GeneratedRegex(@"-d '(?<body>[^']+)'")]
    private static partial Regex Body();
}
