using System.Net;
using Gateway.GraphQL;
using Gateway.Tests.Infrastructure;
using GraphQL;
using GraphQL.Validation;
using GraphQLParser;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// The parsed-and-validated document cache: a second request with the same text skips parsing
/// and the text-only rules, and still gets everything that depends on its variables, its
/// operation or its method checked again. The gateway here does not reuse responses, so a
/// repeated request really runs through the document cache rather than being answered with
/// the bytes of the first.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class DocumentCacheTests(GatewayFixture fixture) : IAsyncLifetime
{
    private GatewayServer? _gateway;

    public Task InitializeAsync()
    {
        _gateway = new GatewayServer(fixture.Emulator.BaseAddress, new Dictionary<string, string?> { ["Http:ResponseTtl"] = "00:00:00" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
    }

    private GraphQLClient Client() => new(_gateway!.GraphQLEndpoint);

    private const string Page = "query Page($n: Int) { qualityTaskInstances(projectId: \"doc-cache\", first: $n) { totalCount nodes { id name } } }";

    [Fact]
    public async Task A_cached_document_is_reused_and_skips_the_text_only_rules()
    {
        using var cache = new ValidatedDocumentCache();
        var document = Parser.Parse("{ a }");
        var seen = new List<ExecutionOptions>();
        Task<ExecutionResult> Next(ExecutionOptions options)
        {
            seen.Add(options);
            return Task.FromResult(new ExecutionResult { Executed = true, Document = options.Document ?? document });
        }

        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ a }" }, Next);
        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ a }" }, Next);

        Assert.Null(seen[0].Document);
        Assert.Same(document, seen[1].Document);
        Assert.DoesNotContain(seen[1].ValidationRules!, rule => rule is global::GraphQL.Validation.Rules.FieldsOnCorrectType or global::GraphQL.Validation.Rules.NoUnusedVariables);
        Assert.True(seen[1].ValidationRules!.Count() < DocumentValidator.CoreRules.Count());
    }

    [Fact]
    public async Task A_document_that_did_not_pass_validation_is_not_cached()
    {
        using var cache = new ValidatedDocumentCache();
        var seen = new List<ExecutionOptions>();
        Task<ExecutionResult> Next(ExecutionOptions options)
        {
            seen.Add(options);
            return Task.FromResult(new ExecutionResult { Executed = false, Document = Parser.Parse("{ a }") });
        }

        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ a }" }, Next);
        await cache.ExecuteAsync(new ExecutionOptions { Query = "{ a }" }, Next);

        Assert.All(seen, options => Assert.Null(options.Document));
    }

    [Fact]
    public async Task Another_operation_name_is_another_entry()
    {
        using var cache = new ValidatedDocumentCache();
        var seen = new List<ExecutionOptions>();
        Task<ExecutionResult> Next(ExecutionOptions options)
        {
            seen.Add(options);
            return Task.FromResult(new ExecutionResult { Executed = true, Document = options.Document ?? Parser.Parse("query A { a } query B { b }") });
        }

        await cache.ExecuteAsync(new ExecutionOptions { Query = "query A { a } query B { b }", OperationName = "A" }, Next);
        await cache.ExecuteAsync(new ExecutionOptions { Query = "query A { a } query B { b }", OperationName = "B" }, Next);

        Assert.Null(seen[1].Document);
    }

    [Fact]
    public async Task The_same_document_returns_the_same_data_every_time()
    {
        using var client = Client();

        var first = await client.PostAsync(Page, new { n = 3 });
        var second = await client.PostAsync(Page, new { n = 3 });

        Assert.Null(first.Errors);
        Assert.Equal(first.Body, second.Body);
    }

    [Fact]
    public async Task A_cached_document_is_costed_again_with_new_variables()
    {
        // Ten aliases of a page: cheap with $n = 1, over GraphQL:MaxComplexity with $n = 100.
        var aliases = string.Join(' ', Enumerable.Range(0, 10).Select(i => $"p{i}: qualityTaskInstances(projectId: \"doc-cache\", first: $n) {{ nodes {{ id name taskId taskType runStatus notifyStatus startTime endTime }} }}"));
        var document = $"query Costly($n: Int) {{ {aliases} }}";
        using var client = Client();

        var uncachedCostly = await client.PostAsync(document.Replace("Costly", "Uncached", StringComparison.Ordinal), new { n = 100 });
        var cheap = await client.PostAsync(document, new { n = 1 });
        var costly = await client.PostAsync(document, new { n = 100 });

        Assert.Equal(["QUERY_TOO_COMPLEX"], uncachedCostly.ErrorCodes);

        Assert.Null(cheap.Errors);
        Assert.Equal(HttpStatusCode.BadRequest, costly.Status);
        Assert.Equal(["QUERY_TOO_COMPLEX"], costly.ErrorCodes);
    }

    [Fact]
    public async Task A_cached_document_is_costed_again_when_a_directive_variable_adds_a_selection()
    {
        // Ten large pages, included only when $all is true: cheap without them, over
        // GraphQL:MaxComplexity with them. No variable sets a page size.
        var aliases = string.Join(' ', Enumerable.Range(0, 10).Select(i => $"p{i}: qualityTaskInstances(projectId: \"doc-cache\", first: 100) @include(if: $all) {{ nodes {{ id name taskId taskType runStatus notifyStatus startTime endTime }} }}"));
        var document = $"query Optional($all: Boolean!) {{ total: qualityTaskInstances(projectId: \"doc-cache\") {{ totalCount }} {aliases} }}";
        using var client = Client();

        var uncachedCostly = await client.PostAsync(document.Replace("Optional", "UncachedOptional", StringComparison.Ordinal), new { all = true });
        var cheap = await client.PostAsync(document, new { all = false });
        var costly = await client.PostAsync(document, new { all = true });

        Assert.Equal(["QUERY_TOO_COMPLEX"], uncachedCostly.ErrorCodes);
        Assert.Null(cheap.Errors);
        Assert.Equal(["QUERY_TOO_COMPLEX"], costly.ErrorCodes);
    }

    [Fact]
    public async Task A_cached_document_still_checks_its_variables()
    {
        using var client = Client();

        var valid = await client.PostAsync(Page, new { n = 2 });
        var invalid = await client.PostAsync(Page, new { n = "two" });

        Assert.Null(valid.Errors);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Null(invalid.Json["data"]);
        Assert.NotEmpty(invalid.ErrorCodes);
    }

    [Fact]
    public async Task Each_operation_of_a_cached_document_runs_its_own_selection()
    {
        const string Two = "query Total { qualityTaskInstances(projectId: \"doc-cache\") { totalCount } } query Ids { qualityTaskInstances(projectId: \"doc-cache\", first: 1) { nodes { id } } }";
        using var client = Client();

        var total = await PostOperationAsync(client, Two, "Total");
        var ids = await PostOperationAsync(client, Two, "Ids");
        var totalAgain = await PostOperationAsync(client, Two, "Total");

        Assert.NotNull(total.Json["data"]!["qualityTaskInstances"]!["totalCount"]);
        Assert.Null(total.Json["data"]!["qualityTaskInstances"]!["nodes"]);
        Assert.NotNull(ids.Json["data"]!["qualityTaskInstances"]!["nodes"]);
        Assert.Null(ids.Json["data"]!["qualityTaskInstances"]!["totalCount"]);
        Assert.Equal(total.Body, totalAgain.Body);
    }

    [Fact]
    public async Task An_invalid_document_is_refused_every_time()
    {
        using var client = Client();

        var first = await client.PostAsync("{ qualityTaskInstances(projectId: \"doc-cache\") { noSuchField } }");
        var second = await client.PostAsync("{ qualityTaskInstances(projectId: \"doc-cache\") { noSuchField } }");

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal(first.Body, second.Body);
    }

    private static async Task<GraphQLResponse> PostOperationAsync(GraphQLClient client, string query, string operationName)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { query, operationName });
        using var request = new HttpRequestMessage(HttpMethod.Post, client.Endpoint) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        return await client.SendAsync(request);
    }
}
