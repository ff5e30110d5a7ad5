using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Http;

/// <summary>The endpoint against the GraphQL-over-HTTP spec, over real HTTP.</summary>
[Collection(GatewayCollection.Name)]
public sealed class GraphQLOverHttpTests(GatewayFixture fixture)
{
    private const string Query = "{ qualityTaskInstances(projectId: \"http\", first: 2) { totalCount nodes { id } } }";

    private Uri Endpoint => fixture.Gateway.GraphQLEndpoint;

    [Fact]
    public async Task Post_json_answers_in_graphql_response_json_by_default()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = Json("{\"query\":" + System.Text.Json.JsonSerializer.Serialize(Query) + "}") };

        var response = await client.SendAsync(request, r => r.Headers.Accept.Clear());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/graphql-response+json", response.MediaType);
        Assert.Equal(2, response.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Get_with_no_content_type_works_like_urql_sends_it()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint + "?query=" + Uri.EscapeDataString("query($n: Int) { qualityTaskInstances(projectId: \"http\", first: $n) { nodes { id } } }") + "&variables=" + Uri.EscapeDataString("{\"n\":3}"));

        var response = await client.SendAsync(request, r => r.Headers.Accept.ParseAdd("application/graphql-response+json, application/json;q=0.9"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(3, response.Data["qualityTaskInstances"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Accept_application_json_gets_application_json()
    {
        using var client = fixture.Client();
        var response = await client.PostAsync(Query, configure: r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("application/json"); });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.MediaType);
    }

    [Fact]
    public async Task An_unparsable_document_is_400_in_graphql_response_json_and_200_in_json()
    {
        using var client = fixture.Client();

        var strict = await client.PostAsync("{ qualityTaskInstances(");
        var legacy = await client.PostAsync("{ qualityTaskInstances(", configure: r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("application/json"); });

        Assert.Equal(HttpStatusCode.BadRequest, strict.Status);
        Assert.Null(strict.Json["data"]);
        Assert.NotEmpty(strict.ErrorCodes);
        Assert.All(strict.ErrorCodes, code => Assert.False(string.IsNullOrEmpty(code)));
        Assert.Equal(HttpStatusCode.OK, legacy.Status);
        Assert.NotNull(legacy.Errors);
    }

    [Fact]
    public async Task An_invalid_document_is_400_without_data()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("{ noSuchField }");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Null(response.Json["data"]);
        Assert.NotNull(response.Errors);
    }

    [Fact]
    public async Task Malformed_json_is_400_BAD_REQUEST()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = Json("{\"query\": ") };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    [Fact]
    public async Task An_unsupported_content_type_is_415()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new StringContent(Query, Encoding.UTF8, "text/plain") };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    [Fact]
    public async Task An_unacceptable_accept_header_is_406()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync(Query, configure: r => { r.Headers.Accept.Clear(); r.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv")); });

        Assert.Equal(HttpStatusCode.NotAcceptable, response.Status);
    }

    [Fact]
    public async Task A_mutation_over_get_is_405()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint + "?query=" + Uri.EscapeDataString("mutation { doSomething }"));

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
    }

    [Fact]
    public async Task Other_methods_are_405()
    {
        using var http = new HttpClient();

        using var response = await http.PutAsync(Endpoint, Json("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_get_without_query_is_400()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, Endpoint);

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["BAD_REQUEST"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_batch_answers_with_an_array_in_order()
    {
        using var client = fixture.Client();
        var body = "[{\"query\":\"{ qualityTaskInstances(projectId: \\\"http\\\", first: 1) { nodes { id } } }\"},{\"query\":\"{ qualityTaskInstances(projectId: \\\"http\\\", first: 3) { nodes { id } } }\"}]";
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = Json(body) };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var results = response.Json.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Single(results[0]!["data"]!["qualityTaskInstances"]!["nodes"]!.AsArray());
        Assert.Equal(3, results[1]!["data"]!["qualityTaskInstances"]!["nodes"]!.AsArray().Count);
    }

    [Fact]
    public async Task Authorization_bearer_is_accepted_as_the_token()
    {
        using var client = fixture.Client(token: null);

        var response = await client.PostAsync("{ qualityTaskInstances(projectId: \"http-bearer\", first: 1) { totalCount } }", configure: r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GraphQLClient.DefaultToken));

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal(GraphQLClient.DefaultToken, fixture.Emulator.Control.Requests.Last(r => r.ProjectId == "http-bearer").Token);
    }

    [Fact]
    public async Task Introspection_needs_no_credentials()
    {
        using var client = fixture.Client(token: null, workspace: null);

        var response = await client.PostAsync("{ __schema { queryType { name } } }");

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal("Query", response.Data["__schema"]!["queryType"]!["name"]!.GetValue<string>());
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
