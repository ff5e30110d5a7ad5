using System.Net;
using System.Net.Http.Headers;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Ide;

/// <summary>Banana Cake Pop, self-hosted at GET /graphql, exercised by a real browser.</summary>
[Collection(GatewayCollection.Name)]
public sealed class BananaCakePopTests(GatewayFixture fixture)
{
    [Fact]
    public async Task A_browser_opens_the_ide_and_it_introspects_the_schema()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: tests/run.sh installs it (apt-get install chromium).");
        var screenshot = Path.Combine(Repository.Artifacts, "banana-cake-pop.png");
        File.Delete(screenshot);

        var result = await NodeScript.RunAsync(
            Path.Combine(Repository.TestProject, "Ide", "browser"),
            "open-ide.mjs",
            TimeSpan.FromMinutes(3),
            fixture.Gateway.GraphQLEndpoint.ToString(),
            screenshot);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or empty");
    }

    [Fact]
    public async Task A_person_sets_the_headers_in_the_ide_runs_a_query_and_sees_the_result()
    {
        Assert.True(File.Exists("/usr/bin/chromium"), "Debian's chromium is missing: tests/run.sh installs it (apt-get install chromium).");
        var screenshot = Path.Combine(Repository.Artifacts, "banana-cake-pop-query.png");
        File.Delete(screenshot);

        // The steps docs/banana-cake-pop.md gives: Create Document, Connection Settings > HTTP
        // Headers (one Name/Value row per header) > Apply, the query in the Request editor, Run.
        var result = await NodeScript.RunAsync(
            Path.Combine(Repository.TestProject, "Ide", "browser"),
            "run-query.mjs",
            TimeSpan.FromMinutes(3),
            fixture.Gateway.GraphQLEndpoint.ToString(),
            GraphQLClient.DefaultToken,
            GraphQLClient.DefaultWorkspace,
            "{ qualityTaskInstances(projectId: \"ide-project\", first: 5) { totalCount nodes { id name runStatus } } }",
            screenshot);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"totalCount \d+;", result.Output);
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the screenshot is missing or empty");
    }

    [Fact]
    public async Task Browsers_get_the_ide_page_with_its_assets_under_graphql()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, fixture.Gateway.GraphQLEndpoint);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var page = await http.SendAsync(request);
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<base href=\"/graphql/\"/>", html, StringComparison.Ordinal);
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(static/js/main[^\"]+)\"").Groups[1].Value;
        using var asset = await http.GetAsync(new Uri(fixture.Gateway.BaseAddress, "/graphql/" + script));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
    }

    [Fact]
    public async Task The_ide_config_points_at_the_endpoint_and_disables_telemetry()
    {
        using var http = new HttpClient();

        var config = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri(fixture.Gateway.BaseAddress, "/graphql/bcp-config.json")))!;

        Assert.True(config["useBrowserUrlAsEndpoint"]!.GetValue<bool>());
        Assert.True(config["disableTelemetry"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Ide_enabled_false_turns_it_off()
    {
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, new Dictionary<string, string?> { ["Ide:Enabled"] = "false" });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, gateway.GraphQLEndpoint);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(gateway.BaseAddress, "/graphql/bcp-config.json"))).StatusCode);
    }
}
