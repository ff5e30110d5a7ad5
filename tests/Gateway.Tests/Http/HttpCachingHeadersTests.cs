using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>
/// No shared HTTP cache (CDN, corporate proxy) may keep one caller's answer for another: every
/// GraphQL response is private and not stored, and says it varies by Origin when CORS is on
/// (the fixture allows exactly one origin, the case ASP.NET Core's CORS leaves without Vary).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class HttpCachingHeadersTests(GatewayFixture fixture)
{
    private const string Page = "query Page($p: String) { qualityTaskInstances(projectId: $p, first: 2) { nodes { id } } }";

    [Fact]
    public async Task A_post_with_credentials_is_private_and_not_stored_twice_over()
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            // The second identical request is answered from the gateway's own response reuse.
            using var response = await http.SendAsync(Post(Page, """{"p":"http-caching"}"""));
            await AssertPrivateAsync(response);
        }
    }

    [Fact]
    public async Task A_persisted_query_over_get_is_private_and_not_stored()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Page)));
        var extensions = $$$"""{"persistedQuery":{"version":1,"sha256Hash":"{{{hash}}}"}}""";
        const string variables = """{"p":"http-caching-apq"}""";
        using var http = new HttpClient();
        using var registered = await http.SendAsync(Post(Page, variables, extensions));
        await AssertPrivateAsync(registered);

        using var get = WithCredentials(new HttpRequestMessage(HttpMethod.Get, $"{fixture.Gateway.GraphQLEndpoint}?extensions={Uri.EscapeDataString(extensions)}&variables={Uri.EscapeDataString(variables)}"));
        using var byHash = await http.SendAsync(get);
        Assert.Contains("\"nodes\"", await byHash.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertPrivateAsync(byHash);
    }

    [Fact]
    public async Task Errors_and_answers_without_credentials_are_not_stored_either()
    {
        using var http = new HttpClient();
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, fixture.Gateway.GraphQLEndpoint) { Content = Json("""{"query":"{ qualityTaskInstances(first: 1) { totalCount } }"}""") };
        using var response = await http.SendAsync(anonymous);
        Assert.Contains("UNAUTHENTICATED", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await AssertPrivateAsync(response);
    }

    private static async Task AssertPrivateAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var cacheControl = response.Headers.CacheControl;
        Assert.NotNull(cacheControl);
        Assert.True(cacheControl.Private, $"Cache-Control: {cacheControl}");
        Assert.True(cacheControl.NoStore, $"Cache-Control: {cacheControl}");
        Assert.Contains("Origin", response.Headers.Vary, StringComparer.OrdinalIgnoreCase);
    }

    private HttpRequestMessage Post(string query, string variables, string? extensions = null) =>
        WithCredentials(new HttpRequestMessage(HttpMethod.Post, fixture.Gateway.GraphQLEndpoint)
        {
            Content = Json($$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}},"variables":{{variables}}{{(extensions is null ? "" : ",\"extensions\":" + extensions)}}}"""),
        });

    private static HttpRequestMessage WithCredentials(HttpRequestMessage request)
    {
        request.Headers.Add("X-Auth-Token", GraphQLClient.DefaultToken);
        request.Headers.Add("workspace", GraphQLClient.DefaultWorkspace);
        return request;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
