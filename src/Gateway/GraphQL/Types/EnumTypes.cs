using Gateway.Upstream;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

// The CLR enums are named like the GraphQL enums, and GraphQL.NET writes their members in
// CONSTANT_CASE (NotTriggered -> NOT_TRIGGERED), which is exactly the upstream's spelling.
public sealed class QualityTaskTypeGraphType : EnumerationGraphType<QualityTaskType>
{
    public QualityTaskTypeGraphType()
    {
        Name = "QualityTaskType";
    }
}

public sealed class QualityRunStatusGraphType : EnumerationGraphType<QualityRunStatus>
{
    public QualityRunStatusGraphType()
    {
        Name = "QualityRunStatus";
    }
}

public sealed class QualityNotifyStatusGraphType : EnumerationGraphType<QualityNotifyStatus>
{
    public QualityNotifyStatusGraphType()
    {
        Name = "QualityNotifyStatus";
    }
}
