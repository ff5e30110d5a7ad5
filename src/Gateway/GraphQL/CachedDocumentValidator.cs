using System.Runtime.CompilerServices;
using GraphQL;
using GraphQL.Execution;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>
/// GraphQL.NET's <see cref="DocumentValidator"/>, with one thing it repeats on every request
/// done once per operation: for a validation without rules (what <see cref="ValidatedDocumentCache"/>
/// asks for a document it has seen, when nothing it holds depends on the variables) the
/// library still walks the whole operation, with its type information, to learn how each
/// variable is used, and again to find where arguments are. Both depend on the text alone.
/// On cursor-following traffic that first walk was 9 % of the gateway's CPU and the second
/// 7 % (docs/performance.md). Here the variables are coerced by the library itself, from their
/// definitions alone, and the arguments and directives parsed by the library's own helpers at
/// the places <see cref="PreparedOperation"/> found once; the result is the one the library
/// gives (GraphQL/CachedDocumentValidatorTests compare them).
/// </summary>
/// <remarks>
/// Any validation with rules, and an operation whose usages can change a value's coercion
/// (<see cref="PreparedOperation.UsagesMatter"/>), is the library's unchanged.
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
        if (options.Rules is not { } rules || rules.Any() || options.Operation is not { } operation)
        {
            return _library.ValidateAsync(options);
        }

        options.Schema.Initialize();
        var prepared = Prepared(options, operation);
        return prepared.UsagesMatter ? _library.ValidateAsync(options) : ValidateWithoutRulesAsync(prepared, Context(options, prepared));
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

    private static ValidationContext Context(in ValidationOptions options, PreparedOperation prepared) => new()
    {
        Schema = options.Schema,
        Document = options.Document,
        Operation = prepared.VariablesOnly,
        Variables = options.Variables,
        Extensions = options.Extensions,
        UserContext = options.UserContext,
        Metrics = options.Metrics,
        RequestServices = options.RequestServices,
        User = options.User,
        CancellationToken = options.CancellationToken,
    };

    // DocumentValidator's steps when there are no rules: coerce the variables, then parse the
    // arguments and directives, stopping at the first step that reports errors.
    private static async Task<IValidationResult> ValidateWithoutRulesAsync(PreparedOperation prepared, ValidationContext context)
    {
        var (variables, errors) = await context.GetVariablesValuesAsync();
        context.Operation = prepared.Operation;
        if (errors is not null)
        {
            foreach (var error in errors)
            {
                context.ReportError(error);
            }

            return new ValidationResult(context.Errors) { Variables = variables };
        }

        Dictionary<GraphQLField, IDictionary<string, ArgumentValue>>? arguments = null;
        Dictionary<ASTNode, IDictionary<string, DirectiveInfo>>? directives = null;
        foreach (var site in prepared.Sites)
        {
            try
            {
                if (site.Definition is { } definition)
                {
                    var field = (GraphQLField)site.Node;
                    if (ExecutionHelper.GetArguments(definition.Arguments, field.Arguments, variables, context.Document, field, null) is { } values)
                    {
                        (arguments ??= []).Add(field, values);
                    }
                }
                else if (ExecutionHelper.GetDirectives((IHasDirectivesNode)site.Node, variables, context.Schema, context.Document) is { } values)
                {
                    (directives ??= []).Add(site.Node, values);
                }
            }
            catch (ValidationError error)
            {
                context.ReportError(error);
            }
        }

        return new ValidationResult(context.Errors) { Variables = variables, ArgumentValues = arguments, DirectiveValues = directives };
    }
}
