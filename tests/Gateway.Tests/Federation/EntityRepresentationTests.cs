using System.Net;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Federation;

/// <summary>
/// Representations this subgraph cannot place (not an object, no or an unknown __typename)
/// fail one by one, like a bad id: null at their position with BAD_USER_INPUT, the rest resolves.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class EntityRepresentationTests(GatewayFixture fixture)
{
    public static TheoryData<string> Unplaceable => new()
    {
        """{"__typename":"Nope","id":"1"}""",
        """{"__typename":"Query","id":"1"}""",
        """{"__typename":"QualityTaskInstancesConnection","id":"1"}""",
        """{"__typename":"QualityTaskInstanceFilterInput","id":"1"}""",
        """{"__typename":"String","id":"1"}""",
        """{"__typename":"","id":"1"}""",
        """{"__typename":7,"id":"1"}""",
        """{"__typename":null,"id":"1"}""",
        """{"id":"1"}""",
        """{}""",
        "\"QualityTaskInstance\"",
        "12",
        "[]",
    };

    [Theory]
    [MemberData(nameof(Unplaceable))]
    public async Task An_unplaceable_representation_fails_alone_in_its_batch(string representation)
    {
        using var client = fixture.Client();
        var listed = (await FederationQueries.ListAsync(client, "fed-unplaceable", 2)).Select(node => node["id"]!.GetValue<string>()).ToArray();
        var representations = JsonNode.Parse($$"""[{"__typename":"QualityTaskInstance","id":"{{listed[0]}}"},{{representation}},{"__typename":"QualityTaskInstance","id":"{{listed[1]}}"}]""");

        var response = await client.PostAsync(FederationQueries.Entities, new { representations });

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var entities = response.Data["_entities"]!.AsArray();
        Assert.Equal(3, entities.Count);
        Assert.Equal(listed[0], entities[0]!["id"]!.GetValue<string>());
        Assert.Null(entities[1]);
        Assert.Equal(listed[1], entities[2]!["id"]!.GetValue<string>());
        Assert.True(response.ErrorCodes is ["BAD_USER_INPUT"], response.ToString());
        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 1));
        Assert.Contains("QualityTaskInstance", FederationQueries.ErrorAt(response, 1)!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Written_as_a_literal_an_unknown_typename_fails_alone_too()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("""{ _entities(representations: [{__typename: "Nope", id: "1"}, {__typename: "QualityTaskInstance", id: "1000000000000000009"}]) { __typename } }""");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.All(response.Data["_entities"]!.AsArray(), Assert.Null);
        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 0));
        Assert.Equal("ENTITY_NOT_FOUND", FederationQueries.CodeAt(response, 1));
    }

    [Fact]
    public async Task Without_a_token_it_is_UNAUTHENTICATED_like_every_other_representation()
    {
        using var client = fixture.Client(token: null);

        var response = await client.PostAsync(FederationQueries.Entities, new { representations = new[] { new Dictionary<string, object> { ["__typename"] = "Nope", ["id"] = "1" } } });

        Assert.Null(response.Data["_entities"]![0]);
        Assert.Equal(["UNAUTHENTICATED"], response.ErrorCodes);
    }

    [Fact]
    public async Task The_message_does_not_echo_the_typename_sent()
    {
        using var client = fixture.Client();
        var typename = "<script>" + new string('x', 5_000);

        var response = await client.PostAsync(FederationQueries.Entities, new { representations = new[] { new Dictionary<string, object> { ["__typename"] = typename, ["id"] = "1" } } });

        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 0));
        Assert.DoesNotContain("<script>", response.Body, StringComparison.Ordinal);
    }
}
