using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>What browsers and Apollo Client need: CORS and Automatic Persisted Queries.</summary>
[Collection(GatewayCollection.Name)]
public sealed class WebFrontendTests(GatewayFixture fixture)
{
    private Uri Endpoint => fixture.Gateway.GraphQLEndpoint;

    [Fact]
    public async Task A_configured_origin_passes_the_preflight_with_the_credential_headers()
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Endpoint);
        preflight.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-auth-token, workspace, content-type");

        using var response = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, Header(response, "Access-Control-Allow-Origin"));
        var allowed = Header(response, "Access-Control-Allow-Headers")!.ToLowerInvariant();
        Assert.Contains("x-auth-token", allowed, StringComparison.Ordinal);
        Assert.Contains("workspace", allowed, StringComparison.Ordinal);
        Assert.Contains("content-type", allowed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_origin_gets_no_cors_headers()
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Endpoint);
        preflight.Headers.Add("Origin", "https://evil.example.test");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "x-auth-token");

        using var response = await http.SendAsync(preflight);

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_cross_origin_post_from_a_configured_origin_is_allowed_to_read_the_answer()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("{ __typename }", configure: request => request.Headers.Add("Origin", GatewayFixture.AllowedOrigin));

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task Apollo_apq_unknown_hash_then_register_then_hash_only_over_get()
    {
        const string query = "query Apq($p: String) { qualityTaskInstances(projectId: $p, first: 2) { nodes { id } } }";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
        var extensions = $$$"""{"persistedQuery":{"version":1,"sha256Hash":"{{{hash}}}"}}""";
        const string variables = """{"p":"apq"}""";
        using var client = fixture.Client();

        var unknown = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{Endpoint}?extensions={Uri.EscapeDataString(extensions)}&variables={Uri.EscapeDataString(variables)}"));
        using var register = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent($$"""{"query":{{System.Text.Json.JsonSerializer.Serialize(query)}},"variables":{{variables}},"extensions":{{extensions}}}""", Encoding.UTF8, "application/json"),
        };
        var registered = await client.SendAsync(register);
        var byHash = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{Endpoint}?extensions={Uri.EscapeDataString(extensions)}&variables={Uri.EscapeDataString(variables)}"));

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal(["PERSISTED_QUERY_NOT_FOUND"], unknown.ErrorCodes);
        Assert.True(registered.Errors is null, registered.ToString());
        Assert.True(byHash.Errors is null, byHash.ToString());
        Assert.Equal(registered.Data.ToJsonString(), byHash.Data.ToJsonString());
    }

    [Fact]
    public async Task A_hash_that_does_not_match_the_query_is_rejected()
    {
        using var client = fixture.Client();
        var body = """{"query":"{ __typename }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"0000000000000000000000000000000000000000000000000000000000000000"}}}""";

        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") });

        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
