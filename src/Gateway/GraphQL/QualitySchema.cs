using GraphQL.Types;
using GraphQL.Utilities;

namespace Gateway.GraphQL;

/// <summary>The gateway's schema: queries only (no mutation or subscription type), a federation subgraph whose entity is QualityTaskInstance.</summary>
public sealed class QualitySchema : Schema
{
    private readonly IServiceProvider _services;

    /// <inheritdoc />
    public QualitySchema(IServiceProvider services, QualityQueryGraphType query)
        : base(services)
    {
        _services = services;
        Query = query;
    }

    // As the base class builds them, with the gateway's own __type meta-field.
    /// <inheritdoc />
    protected override SchemaTypes CreateSchemaTypes() =>
        new QualitySchemaTypes(this, _services, _services.GetService<IEnumerable<IGraphTypeMappingProvider>>(), OnBeforeInitializeType);
}
