using GraphQL.Validation;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>
/// Refuses operations whose root type the schema does not define (it has no mutation or
/// subscription type), as the spec's "Operation Type Existence" rule does. Without it the
/// complexity analyzer was the first to notice and threw, so a mutation was an internal error
/// instead of an invalid document.
/// </summary>
public sealed class SupportedOperationTypesRule : ValidationRuleBase
{
    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Every operation of the document, not only the one selected, as the spec rule reads.
        foreach (var definition in context.Document.Definitions)
        {
            if (definition is GraphQLOperationDefinition operation && RootType(context, operation.Operation) is null)
            {
                var kind = operation.Operation.ToString().ToLowerInvariant();
                context.ReportError(new ValidationError(context.Document.Source, null, $"This schema defines no {kind} type: it answers queries only.", operation) { Code = ErrorCodes.OperationNotSupported });
            }
        }

        return default;
    }

    private static object? RootType(ValidationContext context, OperationType operation) => operation switch
    {
        OperationType.Query => context.Schema.Query,
        OperationType.Mutation => context.Schema.Mutation,
        _ => context.Schema.Subscription,
    };
}
