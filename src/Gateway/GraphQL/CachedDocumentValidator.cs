using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>
/// GraphQL.NET's <see cref="DocumentValidator"/>, with what it repeats on every request done
/// once per operation for a document <see cref="ValidatedDocumentCache"/> hands back (its rules
/// come as a <see cref="CachedDocumentRuleCollection"/>). The library walks the whole operation
/// with its type information on every request to learn how each variable is used, again to
/// find where arguments are, and once more for any rule at all, even one with nothing to visit;
/// all of that depends on the text alone. On cursor-following traffic the first walk was 9 % of
/// the gateway's CPU and the second 7 % (docs/performance.md). Here the library itself still
/// coerces the variables, from their definitions alone; arguments and directives are parsed by
/// the library's own helpers at the places <see cref="PreparedOperation"/> found once; the
/// rules run in the library's order, and the document is walked for them only when one has a
/// visitor. The result is the library's (GraphQL/CachedDocumentValidatorTests compare them).
/// </summary>
/// <remarks>
/// Every other validation, and an operation whose usages can change a value's coercion
/// (<see cref="PreparedOperation.UsagesMatter"/>), is the library's unchanged. A rule's
/// variable visitor sees the operation's variable definitions without its selections.
/// </remarks>
public sealed class CachedDocumentValidator : IDocumentValidator
{
    private readonly DocumentValidator _library = new();

    // Keyed by the parsed operation, so a plan lives exactly as long as the document that the
    // document cache holds, and is never found for another text.
    private readonly ConditionalWeakTable<GraphQLOperationDefinition, PreparedOperation> _prepared = [];

    /// <inheritdoc />
    public Task<IValidationResult> ValidateAsync(in ValidationOptions options)
    {
        if (options.Rules is not CachedDocumentRuleCollection rules || options.Operation is not { } operation)
        {
            return _library.ValidateAsync(options);
        }

        options.Schema.Initialize();
        var prepared = Prepared(options, operation);
        return prepared.UsagesMatter ? _library.ValidateAsync(options) : ValidateAsync(prepared, rules, Context(options));
    }

    private PreparedOperation Prepared(in ValidationOptions options, GraphQLOperationDefinition operation)
    {
        if (_prepared.TryGetValue(operation, out var prepared) && prepared.Schema == options.Schema)
        {
            return prepared;
        }

        prepared = PreparedOperation.For(options.Schema, options.Document, operation);
        _prepared.AddOrUpdate(operation, prepared);
        return prepared;
    }

    private static ValidationContext Context(in ValidationOptions options) => new()
    {
        Schema = options.Schema,
        Document = options.Document,
        Operation = options.Operation,
        TypeInfo = new TypeInfo(options.Schema),
        Variables = options.Variables,
        Extensions = options.Extensions,
        UserContext = options.UserContext,
        Metrics = options.Metrics,
        RequestServices = options.RequestServices,
        User = options.User,
        CancellationToken = options.CancellationToken,
    };

    // DocumentValidator's steps: the rules' first visitors, the variables, the arguments and
    // directives, the rules' last visitors; stopping after the first step that reports errors.
    private static async Task<IValidationResult> ValidateAsync(PreparedOperation prepared, CachedDocumentRuleCollection rules, ValidationContext context)
    {
        List<INodeVisitor>? visitors = null;
        List<IVariableVisitor>? variableVisitors = null;
        foreach (var rule in rules)
        {
            if (await rule.GetPreNodeVisitorAsync(context) is { } visitor)
            {
                (visitors ??= [context.TypeInfo]).Add(visitor);
            }

            if (await rule.GetVariableVisitorAsync(context) is { } variableVisitor)
            {
                (variableVisitors ??= []).Add(variableVisitor);
            }
        }

        if (!await VisitAsync(visitors, context))
        {
            return new ValidationResult(context.Errors);
        }

        // The library's coercion looks up the usages in whatever operation it is given.
        context.Operation = prepared.VariablesOnly;
        var (variables, errors) = await context.GetVariablesValuesAsync(variableVisitors is null ? null : new VariableVisitors(variableVisitors));
        context.Operation = prepared.Operation;
        foreach (var error in errors ?? [])
        {
            context.ReportError(error);
        }

        if (context.HasErrors)
        {
            return new ValidationResult(context.Errors) { Variables = variables };
        }

        ParseArguments(prepared.Sites, variables, context);
        if (!context.HasErrors)
        {
            visitors = null;
            foreach (var rule in rules)
            {
                if (await rule.GetPostNodeVisitorAsync(context) is { } visitor)
                {
                    (visitors ??= [context.TypeInfo]).Add(visitor);
                }
            }

            context.TypeInfo.Clear();
            await VisitAsync(visitors, context);
        }

        return new ValidationResult(context.Errors) { Variables = variables, ArgumentValues = context.ArgumentValues, DirectiveValues = context.DirectiveValues };
    }

    /// <summary>Walks the document for the rules' visitors, if any rule has one; false when errors were reported.</summary>
    private static async ValueTask<bool> VisitAsync(List<INodeVisitor>? visitors, ValidationContext context)
    {
        if (visitors is not null)
        {
            await new BasicVisitor(visitors).VisitAsync(context.Document, new BasicVisitor.State(context));
        }

        return !context.HasErrors;
    }

    private static void ParseArguments(IReadOnlyList<PreparedOperation.Site> sites, Variables variables, ValidationContext context)
    {
        foreach (var site in sites)
        {
            try
            {
                if (site.Definition is { } definition)
                {
                    var field = (GraphQLField)site.Node;
                    if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, context.Document, field, null) is { } values)
                    {
                        (context.ArgumentValues ??= []).Add(field, values);
                    }
                }
                else if (ExecutionHelper.GetDirectives((IHasDirectivesNode)site.Node, variables, context.Schema, context.Document) is { } values)
                {
                    (context.DirectiveValues ??= []).Add(site.Node, values);
                }
            }
            catch (ValidationError error)
            {
                context.ReportError(error);
            }
        }
    }
}
