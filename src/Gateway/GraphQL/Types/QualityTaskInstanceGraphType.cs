using System.Globalization;
using Gateway.Upstream;
using GraphQL.Federation;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

public sealed class QualityTaskInstanceGraphType : ObjectGraphType<QualityTaskInstance>
{
    public QualityTaskInstanceGraphType(QualityTaskInstanceReferenceResolver references)
    {
        Name = "QualityTaskInstance";
        Description = "One DataArts Quality task execution result.";

        // A federation entity: other subgraphs extend it by id, and the router asks this
        // subgraph for it through _entities.
        this.Key("id");
        this.ResolveReference(references);

        // IDs leave as exact decimal strings: a JSON number above 2^53 is rounded by JavaScript.
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(context => context.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(context => context.Source.Name);
        Field<NonNullGraphType<IdGraphType>>("taskId").Resolve(context => context.Source.TaskId.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<QualityTaskTypeGraphType>>("taskType").Resolve(context => context.Source.TaskType);
        Field<NonNullGraphType<QualityRunStatusGraphType>>("runStatus").Resolve(context => context.Source.RunStatus);
        Field<NonNullGraphType<QualityNotifyStatusGraphType>>("notifyStatus").Resolve(context => context.Source.NotifyStatus);
        Field<UtcDateTimeGraphType>("startTime").Resolve(context => context.Source.StartTime);
        Field<UtcDateTimeGraphType>("endTime").Resolve(context => context.Source.EndTime);
    }
}
