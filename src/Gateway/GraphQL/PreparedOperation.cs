using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser;
using GraphQLParser.AST;

namespace Gateway.GraphQL;

/// <summary>
/// What GraphQL.NET's validation without rules works out from an operation's text on every
/// request, worked out once: where arguments and directives are to be parsed (the walk its
/// argument parser makes over the operation and the fragments it reaches), and whether the
/// way a variable is used can change how its value is coerced. <see cref="CachedDocumentValidator"/>
/// keeps one per operation it validates.
/// </summary>
internal sealed class PreparedOperation
{
    private PreparedOperation(ISchema schema, GraphQLOperationDefinition operation, bool usagesMatter, List<Site> sites)
    {
        Schema = schema;
        Operation = operation;
        UsagesMatter = usagesMatter;
        Sites = sites;

        // The variables' definitions without the selections: what the library's own variable
        // coercion walks for usages, given an operation, and here finds none.
        VariablesOnly = new GraphQLOperationDefinition(new GraphQLSelectionSet([]))
        {
            Operation = operation.Operation,
            Variables = operation.Variables,
        };
    }

    /// <summary>The schema the sites' field definitions belong to.</summary>
    public ISchema Schema { get; }

    /// <summary>The operation as the document holds it.</summary>
    public GraphQLOperationDefinition Operation { get; }

    /// <summary>The operation's variable definitions alone, to coerce the variables with.</summary>
    public GraphQLOperationDefinition VariablesOnly { get; }

    /// <summary>
    /// A nullable variable is used where a non-null value is required (allowed when a default
    /// covers it): the library then coerces a given value as non-null, which needs the usages.
    /// </summary>
    public bool UsagesMatter { get; }

    /// <summary>In the order the library's argument parser reaches them: a field whose arguments to parse, or a node whose directives to parse.</summary>
    public IReadOnlyList<Site> Sites { get; }

    /// <summary>A field with arguments (and its definition), or a node with directives (<see cref="Definition"/> null).</summary>
    public readonly record struct Site(ASTNode Node, FieldType? Definition);

    /// <summary>Walks <paramref name="operation"/> as GraphQL.NET 8's argument parser does.</summary>
    public static PreparedOperation For(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(operation);
        var walk = new Walk(schema, document);
        walk.Operation(operation);
        return new PreparedOperation(schema, operation, UsagesMatterFor(schema, document, operation), walk.Sites);
    }

    private static bool UsagesMatterFor(ISchema schema, GraphQLDocument document, GraphQLOperationDefinition operation)
    {
        if (operation.Variables is not { Count: > 0 } definitions)
        {
            return false;
        }

        var usages = new ValidationContext { Schema = schema, Document = document, Operation = operation }.GetRecursiveVariables(operation);
        return definitions.Items.Exists(definition => definition.Type is not GraphQLNonNullType
            && (usages?.Exists(usage => usage.Node.Name == definition.Variable.Name && usage.Type is NonNullGraphType) ?? false));
    }

    // Mirrors DocumentValidator.ParseArgumentVisitor: the selected operation only, each fragment
    // once, a field's arguments when it has any, directives wherever a node has them (recorded
    // before the node's own contents), a selection under a type the schema lacks skipped.
    private sealed class Walk(ISchema schema, GraphQLDocument document)
    {
        private readonly HashSet<string> _visitedFragments = new(StringComparer.Ordinal);

        public List<Site> Sites { get; } = [];

        public void Operation(GraphQLOperationDefinition operation)
        {
            Directives(operation);
            IComplexGraphType? root = operation.Operation switch
            {
                OperationType.Query => schema.Query,
                OperationType.Mutation => schema.Mutation,
                OperationType.Subscription => schema.Subscription,
                _ => null,
            };
            if (root is null)
            {
                return;
            }

            foreach (var variable in operation.Variables?.Items ?? [])
            {
                Directives(variable);
            }

            Selections(operation.SelectionSet, root);
        }

        private void Selections(GraphQLSelectionSet? selections, IComplexGraphType? type)
        {
            foreach (var selection in selections?.Selections ?? [])
            {
                Directives(selection);
                switch (selection)
                {
                    case GraphQLField field:
                        Field(field, type);
                        break;
                    case GraphQLInlineFragment inline:
                        Body(inline.TypeCondition is { } condition ? NamedType(condition.Type.Name.StringValue) : type, inline.TypeCondition is null, inline.SelectionSet, type);
                        break;
                    case GraphQLFragmentSpread spread when _visitedFragments.Add(spread.FragmentName.Name.StringValue)
                        && document.FindFragmentDefinition(spread.FragmentName.Name.Value) is { } fragment:
                        Directives(fragment);
                        Body(NamedType(fragment.TypeCondition.Type.Name.StringValue), conditionless: false, fragment.SelectionSet, type);
                        break;
                }
            }
        }

        private void Field(GraphQLField field, IComplexGraphType? parent)
        {
            var definition =
                field.Name.Value == schema.TypeMetaFieldType.Name ? schema.TypeMetaFieldType :
                field.Name.Value == schema.TypeNameMetaFieldType.Name ? schema.TypeNameMetaFieldType :
                field.Name.Value == schema.SchemaMetaFieldType.Name ? schema.SchemaMetaFieldType :
                parent?.Fields.Find(field.Name.Value);
            if (definition is null)
            {
                return;
            }

            if (field.Arguments?.Count > 0)
            {
                Sites.Add(new Site(field, definition));
            }

            switch (definition.ResolvedType?.GetNamedType())
            {
                case IComplexGraphType complex:
                    Selections(field.SelectionSet, complex);
                    break;

                // No concrete type yet: the selections keep the enclosing one, as the library's do.
                case UnionGraphType:
                    Selections(field.SelectionSet, parent);
                    break;
            }
        }

        // A fragment's body: under its own type when that has fields; under the enclosing one
        // when it names none, or a union (whose inline fragments name their own).
        private void Body(IGraphType? named, bool conditionless, GraphQLSelectionSet selections, IComplexGraphType? enclosing)
        {
            if (conditionless)
            {
                Selections(selections, enclosing);
            }
            else if (named is IComplexGraphType complex)
            {
                Selections(selections, complex);
            }
            else if (named is IAbstractGraphType)
            {
                Selections(selections, enclosing);
            }
        }

        private IGraphType? NamedType(string name) => schema.AllTypes[name]?.GetNamedType();

        private void Directives(ASTNode node)
        {
            if (node is IHasDirectivesNode { Directives.Count: > 0 })
            {
                Sites.Add(new Site(node, null));
            }
        }
    }
}
