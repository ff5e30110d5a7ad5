using GraphQL;
using GraphQL.Introspection;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace Gateway.GraphQL;

/// <summary>
/// The schema's types, with a <c>__type</c> meta-field that answers null for an empty name as
/// for any other unknown name. GraphQL.NET's own looks the name up with an indexer that throws
/// on "", which turned <c>__type(name: "")</c> into an internal error.
/// </summary>
public sealed class QualitySchemaTypes(ISchema schema, IServiceProvider services, IEnumerable<IGraphTypeMappingProvider>? mappings, Action<IGraphType> onBeforeInitialize)
    : SchemaTypes(schema, services, mappings, onBeforeInitialize)
{
    // Overridden rather than patched after start-up: execution and validation both read the
    // meta-field through this property, so there is no window in which the old resolver runs.
    /// <inheritdoc />
    protected override FieldType TypeMetaFieldType { get; } = new EmptyNameSafeTypeMetaField();

    private sealed class EmptyNameSafeTypeMetaField : TypeMetaFieldType
    {
        public EmptyNameSafeTypeMetaField()
        {
            Resolver = new FuncFieldResolver<object>(context =>
                context.GetArgument<string>("name") is { Length: > 0 } name ? context.Schema.AllTypes[name] : null);
        }
    }
}
