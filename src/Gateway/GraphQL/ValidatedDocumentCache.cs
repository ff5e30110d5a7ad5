using GraphQL;
using GraphQL.DI;
using GraphQL.Validation;
using GraphQL.Validation.Rules;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;
using Microsoft.Extensions.Caching.Memory;

namespace Gateway.GraphQL;

/// <summary>
/// Parsed and validated documents, by query text and operation name. Clients send the same few
/// documents again and again; parsing and validating them each time cost most of a cached
/// request. A document is stored only after it passed full validation and executed, and a
/// stored one is revalidated only where the result can depend on more than its text:
/// <list type="bullet">
/// <item>variable values, which GraphQL.NET coerces (and arguments it parses) on every execution anyway;</item>
/// <item>the cost limit, when the operation declares variables (<c>first: $n</c> changes the cost);</item>
/// <item>argument validators, which see argument values;</item>
/// <item>whatever the caller put in <see cref="ExecutionOptions.CachedDocumentValidationRules"/>
/// (the endpoint adds its "GET runs queries only" rule there for GET).</item>
/// </list>
/// Everything else the rules check (names, types, fields, fragments, depth, width, aliases,
/// introspection) is a property of the text alone, so the operation name is part of the key.
/// </summary>
public sealed class ValidatedDocumentCache : IConfigureExecution, IDisposable
{
    // Entries are weighed by query length: a few hundred typical documents, but a client
    // sending thousands of distinct large ones cannot make the cache grow without bound.
    private const long MaxCachedQueryCharacters = 4 * 1024 * 1024;
    private const int MaxQueryLengthToCache = 64 * 1024;

    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = MaxCachedQueryCharacters });

    /// <summary>After the options configurations (100), which fill in the validation rules; before telemetry (200).</summary>
    public float SortOrder => 150;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Document is not null || options.Query is not { } query || query.Length > MaxQueryLengthToCache)
        {
            return await next(options);
        }

        var key = new DocumentKey(query, options.OperationName);
        if (_documents.TryGetValue(key, out CachedDocument? cached) && cached is not null)
        {
            options.Document = cached.Document;
            options.ValidationRules = RulesForCachedDocument(options, cached);
            return await next(options);
        }

        var result = await next(options);

        // Executed means the document passed every validation rule with these options.
        if (result.Executed && result.Document is { } document)
        {
            _documents.Set(key, new CachedDocument(document, HasVariables(document)), new MemoryCacheEntryOptions { Size = query.Length });
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _documents.Dispose();

    private static List<IValidationRule> RulesForCachedDocument(ExecutionOptions options, CachedDocument cached)
    {
        var rules = new List<IValidationRule>(4) { FieldArgumentsAreValidRule.Instance };
        if (options.CachedDocumentValidationRules is { } extra)
        {
            rules.AddRange(extra);
        }

        if (cached.HasVariables && options.RequestServices?.GetService<ComplexityValidationRule>() is { } complexity)
        {
            rules.Add(complexity);
        }

        return rules;
    }

    private static bool HasVariables(GraphQLDocument document)
    {
        foreach (var definition in document.Definitions)
        {
            if (definition is GraphQLOperationDefinition { Variables.Count: > 0 })
            {
                return true;
            }
        }

        return false;
    }

    private sealed record DocumentKey(string Query, string? OperationName);

    private sealed record CachedDocument(GraphQLDocument Document, bool HasVariables);
}
