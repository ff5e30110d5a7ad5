using GraphQL.Types;

namespace Gateway.GraphQL;

public sealed class QualitySchema : Schema
{
    public QualitySchema(IServiceProvider services, QualityQueryGraphType query)
        : base(services)
    {
        Query = query;
    }
}
