using System.Net;
using System.Text;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Security;

/// <summary>Documents that are too deep, too costly, too wide or too slow are refused with the limit named.</summary>
[Collection(GatewayCollection.Name)]
public sealed class DocumentLimitTests(GatewayFixture fixture)
{
    // What graphql-js's getIntrospectionQuery() sends, as IDEs and code generators do.
    private const string IntrospectionQuery = """
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name
          ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
        }
        """;

    [Fact]
    public async Task The_full_introspection_query_is_within_every_limit()
    {
        using var client = fixture.Client(token: null, workspace: null);

        var response = await client.PostAsync(IntrospectionQuery);

        Assert.True(response.Errors is null, response.ToString());
    }

    [Fact]
    public async Task A_document_deeper_than_the_limit_is_QUERY_TOO_COMPLEX()
    {
        using var client = fixture.Client();
        var deep = new StringBuilder("{ __schema { types { ");
        for (var i = 0; i < 20; i++)
        {
            deep.Append("ofType { ");
        }

        deep.Append("name").Append(new string('}', 20)).Append(" } } }");

        var response = await client.PostAsync(deep.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], response.ErrorCodes);
    }

    [Fact]
    public async Task Page_sizes_count_toward_the_cost_limit()
    {
        using var client = fixture.Client();
        var page = "qualityTaskInstances(projectId: \"cost\", first: 100) { nodes { id name taskId taskType runStatus notifyStatus startTime endTime } edges { cursor node { id name taskId taskType runStatus notifyStatus startTime endTime } } }";
        var cheap = await client.PostAsync("{ " + page + " }");
        var calls = fixture.Emulator.Control.ListCalls;

        var costly = await client.PostAsync("{ " + string.Join(' ', Enumerable.Range(0, 5).Select(i => $"a{i}: {page}")) + " }");

        Assert.True(cheap.Errors is null, cheap.ToString());
        Assert.Equal(["QUERY_TOO_COMPLEX"], costly.ErrorCodes);
        Assert.Contains("5000", costly.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    [Fact]
    public async Task Too_many_aliases_is_BAD_USER_INPUT_naming_the_limit()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("{ " + string.Join(' ', Enumerable.Range(0, 25).Select(i => $"t{i}: __typename")) + " }");

        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes);
        Assert.Contains("GraphQL:MaxAliases", response.Errors![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_fields_is_BAD_USER_INPUT_naming_the_limit()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync("{ " + string.Join(' ', Enumerable.Repeat("__typename", 600)) + " }");

        Assert.Contains("BAD_USER_INPUT", response.ErrorCodes);
        Assert.Contains(response.Errors!, error => error!["message"]!.GetValue<string>().Contains("GraphQL:MaxFields", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Introspection_can_be_switched_off()
    {
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, new Dictionary<string, string?> { ["GraphQL:Introspection"] = "false" });
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);

        var introspection = await client.PostAsync("{ __schema { queryType { name } } }");
        var query = await client.PostAsync("{ qualityTaskInstances(projectId: \"no-introspection\", first: 1) { totalCount } }");

        Assert.NotNull(introspection.Errors);
        Assert.Null(introspection.Json["data"]);
        Assert.True(query.Errors is null, query.ToString());
    }

    [Fact]
    public async Task An_operation_past_the_execution_timeout_answers_TIMEOUT()
    {
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, new Dictionary<string, string?> { ["GraphQL:ExecutionTimeout"] = "00:00:00.300" });
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);
        fixture.Emulator.Control.LatencyMilliseconds = 1_000;
        try
        {
            var response = await client.PostAsync("{ qualityTaskInstances(projectId: \"execution-timeout\", first: 1) { totalCount } }");

            Assert.Equal(["TIMEOUT"], response.ErrorCodes);
        }
        finally
        {
            fixture.Emulator.Control.LatencyMilliseconds = 0;
        }
    }
}
