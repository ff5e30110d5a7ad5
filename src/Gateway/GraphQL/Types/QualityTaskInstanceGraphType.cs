using System.Globalization;
using Gateway.Upstream;
using GraphQL.Federation;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

/// <summary>QualityTaskInstance, one run, and the federation entity this subgraph owns (key: id).</summary>
public sealed class QualityTaskInstanceGraphType : ObjectGraphType<QualityTaskInstance>
{
    /// <inheritdoc />
    public QualityTaskInstanceGraphType(QualityTaskInstanceReferenceResolver references)
    {
        Name = "QualityTaskInstance";
        Description = "One DataArts Quality task execution result: a run of a quality job or a comparison job, as the upstream's task execution result list (GET /v2/{project_id}/quality/instances) reports it.";

        // A federation entity: other subgraphs extend it by id, and the router asks this
        // subgraph for it through _entities.
        this.Key("id");
        this.ResolveReference(references);

        // IDs leave as exact decimal strings: a JSON number above 2^53 is rounded by JavaScript.
        Field<NonNullGraphType<IdGraphType>>("id")
            .Description("The job instance id (upstream id), as an exact decimal string: the values exceed 2^53, which a JSON number would round. The federation key of this type.")
            .Resolve(context => context.Source.Id.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<StringGraphType>>("name")
            .Description("The job instance name (upstream name); the where.name filter matches it exactly.")
            .Resolve(context => context.Source.Name);
        Field<NonNullGraphType<IdGraphType>>("taskId")
            .Description("The id of the quality or comparison job this run belongs to (upstream task_id), as an exact decimal string.")
            .Resolve(context => context.Source.TaskId.ToString(CultureInfo.InvariantCulture));
        Field<NonNullGraphType<QualityTaskTypeGraphType>>("taskType")
            .Description("Whether the run is of a quality job or a comparison job (upstream task_type).")
            .Resolve(context => context.Source.TaskType);
        Field<NonNullGraphType<QualityRunStatusGraphType>>("runStatus")
            .Description("How the run stands or ended (upstream run_status).")
            .Resolve(context => context.Source.RunStatus);
        Field<NonNullGraphType<QualityNotifyStatusGraphType>>("notifyStatus")
            .Description("Whether the run's notification was sent (upstream notify_status).")
            .Resolve(context => context.Source.NotifyStatus);
        Field<UtcDateTimeGraphType>("startTime")
            .Description("When the run started (upstream start_time, 13-digit epoch milliseconds), as an ISO-8601 UTC date and time; null if the upstream gave none.")
            .Resolve(context => context.Source.StartTime);
        Field<UtcDateTimeGraphType>("endTime")
            .Description("When the run ended (upstream end_time, 13-digit epoch milliseconds), as an ISO-8601 UTC date and time; null while it runs or if the upstream gave none.")
            .Resolve(context => context.Source.EndTime);
    }
}
