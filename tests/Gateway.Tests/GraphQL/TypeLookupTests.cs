using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.GraphQL;

/// <summary><c>__type</c> answers null for any name it does not know, the empty one included.</summary>
[Collection(GatewayCollection.Name)]
public sealed class TypeLookupTests(GatewayFixture fixture)
{
    private const string Null = """{"data":{"__type":null}}""";

    [Theory]
    [InlineData("")]
    [InlineData("Nope")]
    [InlineData(" ")]
    public async Task An_unknown_or_empty_name_is_null_over_post(string name)
    {
        using var client = fixture.Client();

        var response = await client.PostAsync($$"""{ __type(name: {{System.Text.Json.JsonSerializer.Serialize(name)}}) { name } }""");

        AssertNull(response);
    }

    [Fact]
    public async Task An_empty_name_is_null_over_get()
    {
        using var client = fixture.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{client.Endpoint}?query={Uri.EscapeDataString("{ __type(name: \"\") { name } }")}");

        AssertNull(await client.SendAsync(request));
    }

    [Fact]
    public async Task An_empty_name_is_null_through_a_variable_and_a_cached_document()
    {
        using var client = fixture.Client();
        const string query = "query($n: String!) { __type(name: $n) { name } }";

        var known = await client.PostAsync(query, new { n = "QualityTaskInstance" });
        var empty = await client.PostAsync(query, new { n = "" });

        Assert.Equal("QualityTaskInstance", known.Data["__type"]!["name"]!.GetValue<string>());
        AssertNull(empty);
    }

    private static void AssertNull(GraphQLResponse response)
    {
        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Null), response.Json), response.ToString());
    }
}
