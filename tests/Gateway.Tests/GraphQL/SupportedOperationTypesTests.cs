using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// The schema answers queries and subscriptions: a mutation is an invalid document with its own
/// code (a subscription over plain HTTP is STREAMING_TRANSPORT_REQUIRED, see Live/WebSocketProtocolTests).
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class SupportedOperationTypesTests(GatewayFixture fixture)
{
    [Theory]
    [InlineData("mutation M { __typename }", "mutation")]
    [InlineData("mutation { qualityTaskInstances { totalCount } }", "mutation")]
    public async Task A_non_query_is_400_OPERATION_NOT_SUPPORTED_and_never_executes(string document, string kind)
    {
        using var client = fixture.Client();
        var calls = fixture.Emulator.Control.ListCalls;

        var response = await client.PostAsync(document);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Null(response.Json["data"]);
        Assert.Equal(["OPERATION_NOT_SUPPORTED"], response.ErrorCodes);
        Assert.Contains(kind, response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(response.Errors[0]!["locations"]);
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    [Fact]
    public async Task Under_application_json_it_is_200_with_the_same_error()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("mutation M { __typename }", configure: r => { r.Headers.Accept.Clear(); r.Headers.Accept.ParseAdd("application/json"); });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(["OPERATION_NOT_SUPPORTED"], response.ErrorCodes);
    }

    [Fact]
    public async Task A_mutation_beside_the_selected_query_still_makes_the_document_invalid()
    {
        using var client = fixture.Client();
        var body = System.Text.Json.JsonSerializer.Serialize(new { query = "query Q { __typename } mutation M { __typename }", operationName = "Q" });
        using var request = new HttpRequestMessage(HttpMethod.Post, client.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["OPERATION_NOT_SUPPORTED"], response.ErrorCodes);
    }

    [Fact]
    public async Task In_a_batch_only_the_mutation_fails()
    {
        using var client = fixture.Client();
        const string body = """[{"query":"mutation { __typename }"},{"query":"{ __typename }"}]""";
        using var request = new HttpRequestMessage(HttpMethod.Post, client.Endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var results = response.Json.AsArray();
        Assert.Equal("OPERATION_NOT_SUPPORTED", results[0]!["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("Query", results[1]!["data"]!["__typename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Over_get_a_mutation_stays_405_HTTP_METHOD_NOT_ALLOWED()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{client.Endpoint}?query={Uri.EscapeDataString("mutation M { __typename }")}");

        var response = await client.SendAsync(request);

        // GET allows queries only (GraphQL over HTTP: 405), and no method would run it.
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal(["HTTP_METHOD_NOT_ALLOWED", "OPERATION_NOT_SUPPORTED"], response.ErrorCodes);
        Assert.DoesNotContain("POST", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
