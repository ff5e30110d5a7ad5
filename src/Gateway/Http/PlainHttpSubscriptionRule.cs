using Gateway.GraphQL;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.Http;

/// <summary>
/// A subscription sent as a plain POST (no <c>Accept: text/event-stream</c>): it has no way to
/// deliver more than one result, so it is refused with STREAMING_TRANSPORT_REQUIRED, naming the
/// two transports that can carry it.
/// </summary>
public sealed class PlainHttpSubscriptionRule : ValidationRuleBase, IOperationTypeRule
{
    /// <summary>The one instance: the rule holds no state.</summary>
    public static PlainHttpSubscriptionRule Instance { get; } = new();

    /// <summary>What a POST is validated with: the core rules and this one.</summary>
    public static IValidationRule[] RulesForPost { get; } = [.. DocumentValidator.CoreRules, Instance];

    /// <summary>What a POST runs on a document already validated (and cached) for another transport.</summary>
    public static IValidationRule[] RulesForCachedPost { get; } = [Instance];

    /// <inheritdoc />
    public bool Accepts(OperationType operation) => operation != OperationType.Subscription;

    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!Accepts(context.Operation.Operation))
        {
            context.ReportError(new ValidationError(context.Document.Source, ErrorCodes.StreamingTransportRequired, "A subscription needs a streaming transport: send it over WebSocket (subprotocol graphql-transport-ws) or with 'Accept: text/event-stream' (graphql-sse), both at this endpoint.") { Code = ErrorCodes.StreamingTransportRequired });
        }

        return default;
    }
}
