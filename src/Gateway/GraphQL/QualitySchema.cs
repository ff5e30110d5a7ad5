using GraphQL.Types;
using GraphQL.Utilities;

namespace Gateway.GraphQL;

public sealed class QualitySchema : Schema
{
    private readonly IServiceProvider _services;

    public QualitySchema(IServiceProvider services, QualityQueryGraphType query, Live.Schema.QualitySubscriptionGraphType subscription)
        : base(services)
    {
        _services = services;
        Query = query;
        Subscription = subscription;
    }

    // As the base class builds them, with the gateway's own __type meta-field.
    protected override SchemaTypes CreateSchemaTypes() =>
        new QualitySchemaTypes(this, _services, _services.GetService<IEnumerable<IGraphTypeMappingProvider>>(), OnBeforeInitializeType);
}
