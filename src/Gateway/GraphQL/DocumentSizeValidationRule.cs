using GraphQL.Validation;
using GraphQLParser.AST;
using Microsoft.Extensions.Options;

namespace Gateway.GraphQL;

/// <summary>
/// Limits how many fields and aliases a document may write out. Depth and cost are the
/// complexity analyzer's; this catches wide documents (thousands of fields or aliases) before
/// any of them is resolved.
/// </summary>
public sealed class DocumentSizeValidationRule(IOptions<DocumentLimitsOptions> options) : ValidationRuleBase
{
    /// <inheritdoc />
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limits = options.Value;
        var (fields, aliases) = Count(context.Document);
        if (fields > limits.MaxFields)
        {
            context.ReportError(new ValidationError($"The document selects {fields} fields; the limit is {limits.MaxFields} (GraphQL:MaxFields).") { Code = ErrorCodes.BadUserInput });
        }

        if (aliases > limits.MaxAliases)
        {
            context.ReportError(new ValidationError($"The document uses {aliases} aliases; the limit is {limits.MaxAliases} (GraphQL:MaxAliases).") { Code = ErrorCodes.BadUserInput });
        }

        return default;
    }

    private static (int Fields, int Aliases) Count(GraphQLDocument document)
    {
        int fields = 0, aliases = 0;
        var pending = new Stack<GraphQLSelectionSet>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLOperationDefinition operation:
                    pending.Push(operation.SelectionSet);
                    break;
                case GraphQLFragmentDefinition fragment:
                    pending.Push(fragment.SelectionSet);
                    break;
            }
        }

        // Iterative, so a hostile nesting depth cannot overflow the stack.
        while (pending.TryPop(out var selectionSet))
        {
            foreach (var selection in selectionSet.Selections)
            {
                switch (selection)
                {
                    case GraphQLField field:
                        fields++;
                        aliases += field.Alias is null ? 0 : 1;
                        if (field.SelectionSet is { } children)
                        {
                            pending.Push(children);
                        }

                        break;
                    case GraphQLInlineFragment inline:
                        pending.Push(inline.SelectionSet);
                        break;
                }
            }
        }

        return (fields, aliases);
    }
}
