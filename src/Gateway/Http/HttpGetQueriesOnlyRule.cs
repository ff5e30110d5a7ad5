using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Http;

/// <summary>
/// GraphQL over HTTP: GET may only run queries (GET must be safe); anything else is 405.
/// </summary>
public sealed class HttpGetQueriesOnlyRule : ValidationRuleBase
{
    public const string Code = "HTTP_METHOD_NOT_ALLOWED";

    public static HttpGetQueriesOnlyRule Instance { get; } = new();

    public static IValidationRule[] RulesForGet { get; } = [.. DocumentValidator.CoreRules, Instance];

    /// <summary>What a GET runs on a document already validated (and cached) for any method.</summary>
    public static IValidationRule[] RulesForCachedGet { get; } = [Instance];

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Operation.Operation != OperationType.Query)
        {
            context.ReportError(new ValidationError($"Only queries may be sent with GET; send this {context.Operation.Operation.ToString().ToLowerInvariant()} with POST.") { Code = Code });
        }

        return default;
    }
}
