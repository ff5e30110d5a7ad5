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
/// <item>the cost limit, when a variable can change the cost: one given to <c>first</c>, <c>last</c> or <c>id</c> (what the cost counts a list by) or to a directive (<c>@include(if: $x)</c>);</item>
/// <item>argument validators, which see argument values, when the schema has any;</item>
/// <item>whatever the caller put in <see cref="ExecutionOptions.CachedDocumentValidationRules"/>
/// (the endpoint adds its transport's rules there), except an <see cref="IOperationTypeRule"/>
/// that accepts every operation type the document has.</item>
/// </list>
/// Everything else the rules check (names, types, fields, fragments, depth, width, aliases,
/// introspection) is a property of the text alone, so the operation name is part of the key.
/// Leaving out the rules that have nothing to check matters: GraphQL.NET walks the whole document
/// once more for any rule at all. On cursor-following traffic (variables on every request)
/// validation was a quarter of the gateway's CPU, and these walks a third of that
/// (docs/performance.md).
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
            _documents.Set(key, new CachedDocument(document, CostDependsOnVariables(document), OperationTypes(document)), new MemoryCacheEntryOptions { Size = query.Length });
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _documents.Dispose();

    private static CachedDocumentRuleCollection RulesForCachedDocument(ExecutionOptions options, CachedDocument cached)
    {
        var rules = new CachedDocumentRuleCollection();

        // Unknown schema: kept, the rule itself looks.
        if (options.Schema?.GetMetadata<bool>(FieldArgumentsAreValidRule.HAS_FIELD_ARGUMENT_VALIDATION_KEY) != false)
        {
            rules.Add(FieldArgumentsAreValidRule.Instance);
        }

        foreach (var rule in options.CachedDocumentValidationRules ?? [])
        {
            if (rule is not IOperationTypeRule byType || !cached.OperationTypes.TrueForAll(byType.Accepts))
            {
                rules.Add(rule);
            }
        }

        if (cached.CostDependsOnVariables && options.RequestServices?.GetService<ComplexityValidationRule>() is { } complexity)
        {
            rules.Add(complexity);
        }

        return rules;
    }

    private static List<OperationType> OperationTypes(GraphQLDocument document) =>
        [.. document.Definitions.OfType<GraphQLOperationDefinition>().Select(operation => operation.Operation).Distinct()];

    // What GraphQL.NET's cost counts a list by (the value of first or last, the presence of id),
    // and PageCost after it; a directive's variable can drop a whole selection.
    private static readonly string[] CostArguments = ["first", "last", "id"];

    /// <summary>Whether a variable's value can change the document's cost: conservative, any variable given to a cost argument or a directive anywhere.</summary>
    private static bool CostDependsOnVariables(GraphQLDocument document)
    {
        foreach (var definition in document.Definitions)
        {
            var depends = definition switch
            {
                GraphQLOperationDefinition operation => DirectivesUseVariables(operation.Directives) || SelectionsDependOnVariables(operation.SelectionSet),
                GraphQLFragmentDefinition fragment => DirectivesUseVariables(fragment.Directives) || SelectionsDependOnVariables(fragment.SelectionSet),
                _ => false,
            };
            if (depends)
            {
                return true;
            }
        }

        return false;
    }

    private static bool SelectionsDependOnVariables(GraphQLSelectionSet? selections)
    {
        foreach (var selection in selections?.Selections ?? [])
        {
            var depends = selection switch
            {
                GraphQLField field => DirectivesUseVariables(field.Directives)
                    || (field.Arguments?.Items.Exists(argument => argument.Value is GraphQLVariable && CostArguments.Contains(argument.Name.StringValue, StringComparer.Ordinal)) ?? false)
                    || SelectionsDependOnVariables(field.SelectionSet),
                GraphQLInlineFragment inline => DirectivesUseVariables(inline.Directives) || SelectionsDependOnVariables(inline.SelectionSet),
                GraphQLFragmentSpread spread => DirectivesUseVariables(spread.Directives),
                _ => true,
            };
            if (depends)
            {
                return true;
            }
        }

        return false;
    }

    private static bool DirectivesUseVariables(GraphQLDirectives? directives) =>
        directives?.Items.Exists(directive => directive.Arguments?.Items.Exists(argument => UsesVariable(argument.Value)) ?? false) ?? false;

    private static bool UsesVariable(GraphQLValue value) => value switch
    {
        GraphQLVariable => true,
        GraphQLListValue list => list.Values?.Exists(UsesVariable) ?? false,
        GraphQLObjectValue obj => obj.Fields?.Exists(field => UsesVariable(field.Value)) ?? false,
        _ => false,
    };

    private sealed record DocumentKey(string Query, string? OperationName);

    private sealed record CachedDocument(GraphQLDocument Document, bool CostDependsOnVariables, List<OperationType> OperationTypes);
}
