using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Container;

/// <summary>
/// No Docker engine runs here, so the container is proven by its steps: the same publish
/// command the Dockerfile runs, and the published output started the way its ENTRYPOINT and
/// HEALTHCHECK start it.
/// </summary>
public sealed class PublishTests
{
    [Fact]
    public async Task The_published_output_serves_graphql_the_ide_and_its_health_check()
    {
        Assert.Contains("dotnet publish src/Gateway/Gateway.csproj -c Release", await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Dockerfile")), StringComparison.Ordinal);
        var output = Directory.CreateTempSubdirectory("gateway-publish-").FullName;
        try
        {
            var publish = await ProcessRunner.RunAsync("dotnet", ["publish", "src/Gateway/Gateway.csproj", "-c", "Release", "-o", output, "--nologo", "-v", "quiet"], Repository.Root, TimeSpan.FromMinutes(8));
            Assert.True(publish.ExitCode == 0, publish.Output);
            Assert.True(File.Exists(Path.Combine(output, "ide", "index.html")), "Banana Cake Pop is missing from the publish output");
            Assert.False(File.Exists(Path.Combine(output, "package.json")), "npm project files leaked into the publish output");

            // The runtime settings chosen by measurement (docs/performance.md) ship with the
            // output, where the image's runtime reads them.
            using var runtimeConfig = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "Gateway.runtimeconfig.json")));
            var settings = runtimeConfig.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
            Assert.False(settings.GetProperty("System.Runtime.TieredPGO").GetBoolean());
            Assert.False(settings.GetProperty("System.GC.Server").GetBoolean());

            // The container's environment without a base URL: it refuses to start rather than
            // serve synthetic data.
            var dockerfile = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "Dockerfile"));
            Assert.Contains("ASPNETCORE_ENVIRONMENT=Production", dockerfile, StringComparison.Ordinal);
            Assert.DoesNotContain("UseEmulator", dockerfile, StringComparison.Ordinal);
            var refused = await ProcessRunner.RunAsync("dotnet", [Path.Combine(output, "Gateway.dll")], output, TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0" });
            Assert.True(refused.ExitCode != 0, refused.Output);
            Assert.Contains("Upstream:BaseUrl is not set", refused.Output, StringComparison.Ordinal);

            await using var gateway = await GatewayProcess.StartAsync(Path.Combine(output, "Gateway.dll"), new Dictionary<string, string> { ["Upstream:UseEmulator"] = "true" });
            var baseAddress = gateway.BaseAddress;
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            using var query = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/graphql"))
            {
                Content = new StringContent("{\"query\":\"{ qualityTaskInstances(projectId: \\\"published\\\", first: 2) { totalCount nodes { id } } }\"}", Encoding.UTF8, "application/json"),
            };
            query.Headers.Add("X-Auth-Token", "any-token");
            query.Headers.Add("workspace", "any-workspace");
            using var answer = await http.SendAsync(query);
            var body = await answer.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("\"totalCount\":3000", body, StringComparison.Ordinal);

            using var ide = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, "/graphql"));
            ide.Headers.Accept.ParseAdd("text/html");
            using var page = await http.SendAsync(ide);
            Assert.Contains("Banana Cake Pop", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Ready once the start-up warm-up pass is over (Warmup:Duration), as the image's
            // HEALTHCHECK allows for with its start period.
            await Eventually.UntilAsync(
                async () => (await ProcessRunner.RunAsync("dotnet", [Path.Combine(output, "Gateway.dll"), "health", new Uri(baseAddress, "/health/ready").ToString()], output, TimeSpan.FromMinutes(1))).ExitCode == 0,
                TimeSpan.FromSeconds(30),
                "the health command never reported the published gateway ready");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
