using System.Security.Cryptography;
using System.Text;
using Gateway.Caching;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Http;

/// <summary>APQ as an execution step on its own: what it hands to the rest of the execution, and what it answers itself.</summary>
public sealed class AutomaticPersistedQueriesTests : IDisposable
{
    private const string Document = "{ __typename }";
    private static readonly string Hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Document)));

    private readonly ServiceProvider _services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
    private readonly List<string?> _executed = [];

    public void Dispose() => _services.Dispose();

    [Fact]
    public void It_runs_before_the_document_cache_which_keys_by_the_query_it_fills_in() =>
        Assert.True(Step().SortOrder < new ValidatedDocumentCache().SortOrder);

    [Fact]
    public async Task A_request_without_a_persisted_query_passes_through()
    {
        var result = await Step().ExecuteAsync(new ExecutionOptions { Query = Document }, NextAsync);

        Assert.True(result.Executed);
        Assert.Equal([Document], _executed);
    }

    [Fact]
    public async Task An_unknown_hash_is_PERSISTED_QUERY_NOT_FOUND_then_the_document_registers_it()
    {
        var step = Step();

        var unknown = await step.ExecuteAsync(Options(query: null), NextAsync);
        var registered = await step.ExecuteAsync(Options(Document), NextAsync);
        var known = await step.ExecuteAsync(Options(query: null), NextAsync);

        Assert.IsType<PersistedQueryNotFoundError>(Assert.Single(unknown.Errors!));
        Assert.Equal(ErrorCodes.PersistedQueryNotFound, unknown.Errors![0].Code);
        Assert.True(registered.Executed);
        Assert.True(known.Executed);
        Assert.Equal([Document, Document], _executed);
    }

    [Fact]
    public async Task A_hash_that_is_not_the_documents_is_BAD_REQUEST()
    {
        var result = await Step().ExecuteAsync(Options("{ other }"), NextAsync);

        Assert.Equal(ErrorCodes.BadRequest, Assert.Single(result.Errors!).Code);
        Assert.Empty(_executed);
    }

    [Fact]
    public async Task Turned_off_it_is_PERSISTED_QUERY_NOT_SUPPORTED()
    {
        var result = await Step(enabled: false).ExecuteAsync(Options(Document), NextAsync);

        Assert.Equal(ErrorCodes.PersistedQueryNotSupported, Assert.Single(result.Errors!).Code);
        Assert.Empty(_executed);
    }

    [Fact]
    public async Task Nothing_to_execute_is_BAD_REQUEST()
    {
        var result = await Step().ExecuteAsync(new ExecutionOptions { Query = "  " }, NextAsync);

        Assert.Equal(ErrorCodes.BadRequest, Assert.Single(result.Errors!).Code);
        Assert.Empty(_executed);
    }

    private AutomaticPersistedQueries Step(bool enabled = true)
    {
        var options = Microsoft.Extensions.Options.Options.Create(new PersistedQueryOptions { Enabled = enabled });
        return new AutomaticPersistedQueries(new PersistedQueryStore(_services.GetRequiredService<HybridCache>(), options), options);
    }

    private static ExecutionOptions Options(string? query) => new()
    {
        Query = query,
        Extensions = new Inputs(new Dictionary<string, object?>
        {
            ["persistedQuery"] = new Dictionary<string, object?> { ["version"] = 1, ["sha256Hash"] = Hash },
        }),
    };

    private Task<ExecutionResult> NextAsync(ExecutionOptions options)
    {
        _executed.Add(options.Query);
        return Task.FromResult(new ExecutionResult { Executed = true });
    }
}
