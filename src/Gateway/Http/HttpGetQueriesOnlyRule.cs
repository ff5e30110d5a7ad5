using System.Net;
using Gateway.GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Http;

/// <summary>
/// GraphQL over HTTP: GET may only run queries (GET must be safe); anything else is 405.
/// </summary>
public sealed class HttpGetQueriesOnlyRule : ValidationRuleBase, IOperationTypeRule
{
    /// <summary>HTTP_METHOD_NOT_ALLOWED, answered with 405 and <c>Allow: GET, POST</c>.</summary>
    public const string Code = ErrorCodes.HttpMethodNotAllowed;

    /// <summary>The rule is stateless, so one instance serves every request.</summary>
    public static HttpGetQueriesOnlyRule Instance { get; } = new();

    /// <summary>What a GET runs on a document not validated yet: GraphQL.NET's core rules and this one.</summary>
    public static IValidationRule[] RulesForGet { get; } = [.. DocumentValidator.CoreRules, Instance];

    /// <summary>What a GET runs on a document already validated (and cached) for any method.</summary>
    public static IValidationRule[] RulesForCachedGet { get; } = [Instance];

    /// <inheritdoc />
    public bool Accepts(OperationType operation) => operation == OperationType.Query;

    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var operation = context.Operation.Operation;
        if (!Accepts(operation))
        {
            // POST is worth suggesting only for an operation type the schema has; otherwise
            // OPERATION_NOT_SUPPORTED says why no method would do.
            var supported = (operation == OperationType.Mutation ? context.Schema.Mutation : context.Schema.Subscription) is not null;
            var advice = !supported ? "."
                : operation == OperationType.Subscription ? "; send this subscription over WebSocket (graphql-transport-ws) or with 'Accept: text/event-stream'."
                : $"; send this {operation.ToString().ToLowerInvariant()} with POST.";
            context.ReportError(new HttpMethodNotAllowedError($"Only queries may be sent with GET{advice}"));
        }

        return default;
    }
}

/// <summary>A non-query sent with GET: invalid for this method only, so 405 under either media type, not the 400 of an invalid document.</summary>
public sealed class HttpMethodNotAllowedError : ValidationError, IHasPreferredStatusCode
{
    /// <summary>The error with code HTTP_METHOD_NOT_ALLOWED.</summary>
    /// <param name="message">Says which methods would do.</param>
    public HttpMethodNotAllowedError(string message)
        : base(message)
    {
        Code = HttpGetQueriesOnlyRule.Code;
    }

    /// <inheritdoc />
    public HttpStatusCode PreferredStatusCode => HttpStatusCode.MethodNotAllowed;
}
