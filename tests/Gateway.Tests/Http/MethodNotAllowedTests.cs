using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>Methods other than GET and POST: 405 with Allow and a coded GraphQL error; CORS preflights unaffected.</summary>
[Collection(GatewayCollection.Name)]
public sealed class MethodNotAllowedTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("OPTIONS")]
    [InlineData("PROPFIND")]
    public async Task Another_method_is_405_with_allow_and_a_graphql_error(string method)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), fixture.Gateway.GraphQLEndpoint) { Content = new StringContent("""{"query":"{ __typename }"}""", Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Auth-Token", GraphQLClient.DefaultToken);

        using var response = await http.SendAsync(request);

        await AssertMethodNotAllowedAsync(response, "application/graphql-response+json");
    }

    [Fact]
    public async Task The_error_follows_the_accept_header_and_survives_an_unacceptable_one()
    {
        using var http = new HttpClient();
        using var json = new HttpRequestMessage(HttpMethod.Delete, fixture.Gateway.GraphQLEndpoint);
        json.Headers.Accept.ParseAdd("application/json");
        using var csv = new HttpRequestMessage(HttpMethod.Delete, fixture.Gateway.GraphQLEndpoint);
        csv.Headers.Accept.ParseAdd("text/csv");

        using var asJson = await http.SendAsync(json);
        using var asCsv = await http.SendAsync(csv);

        await AssertMethodNotAllowedAsync(asJson, "application/json");
        await AssertMethodNotAllowedAsync(asCsv, "application/json");
    }

    [Fact]
    public async Task Without_cors_origins_options_is_405_and_a_preflight_is_still_answered_by_cors()
    {
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress);
        using var http = new HttpClient();
        using var options = new HttpRequestMessage(HttpMethod.Options, gateway.GraphQLEndpoint);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, gateway.GraphQLEndpoint);
        preflight.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var plain = await http.SendAsync(options);
        using var cors = await http.SendAsync(preflight);

        await AssertMethodNotAllowedAsync(plain, "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.NoContent, cors.StatusCode);
        Assert.False(cors.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_configured_origin_still_passes_the_preflight()
    {
        using var http = new HttpClient();
        using var preflight = new HttpRequestMessage(HttpMethod.Options, fixture.Gateway.GraphQLEndpoint);
        preflight.Headers.Add("Origin", GatewayFixture.AllowedOrigin);
        preflight.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(GatewayFixture.AllowedOrigin, string.Join(",", response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task A_mutation_over_get_names_the_allowed_methods_too()
    {
        using var http = new HttpClient();

        using var response = await http.GetAsync($"{fixture.Gateway.GraphQLEndpoint}?query={Uri.EscapeDataString("mutation { __typename }")}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
    }

    private static async Task AssertMethodNotAllowedAsync(HttpResponseMessage response, string mediaType)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("GET, POST", string.Join(", ", response.Content.Headers.Allow));
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        var errors = JsonNode.Parse(body)!["errors"]!.AsArray();
        Assert.Equal("HTTP_METHOD_NOT_ALLOWED", Assert.Single(errors)!["extensions"]!["code"]!.GetValue<string>());
        Assert.Contains("GET and POST", errors[0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
