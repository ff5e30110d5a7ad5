using Gateway.GraphQL.Types;
using GraphQL.Types;

namespace Gateway.GraphQL;

/// <summary>The root <c>Query</c> type: the one field qualityTaskInstances, a Relay connection over the upstream's result list.</summary>
public sealed class QualityQueryGraphType : ObjectGraphType
{
    /// <inheritdoc />
    public QualityQueryGraphType(QualityTaskInstancesResolver resolver)
    {
        Name = "Query";
        Description = "Reads DataArts Quality task execution results through this gateway, with the caller's own credentials.";
        Field<QualityTaskInstancesConnectionGraphType>("qualityTaskInstances")
            .Description("DataArts Quality task execution results, newest first (GET /v2/{project_id}/quality/instances).")
            .Argument<StringGraphType>("projectId", "Huawei Cloud project id; defaults to Upstream:DefaultProjectId.")
            .Argument<IntGraphType>("first", "Returns the first _n_ elements from the list: 0 to Paging:MaxPageSize (100 by default), more is PAGE_SIZE_EXCEEDED. With neither first nor last, Paging:DefaultPageSize (10 by default). Not together with last.")
            .Argument<StringGraphType>("after", "Returns the elements in the list that come after the specified cursor (an endCursor or edge cursor this gateway issued for the same projectId and where).")
            .Argument<IntGraphType>("last", "Returns the last _n_ elements from the list: 0 to Paging:MaxPageSize (100 by default), more is PAGE_SIZE_EXCEEDED. Not together with first.")
            .Argument<StringGraphType>("before", "Returns the elements in the list that come before the specified cursor (a startCursor or edge cursor this gateway issued for the same projectId and where).")
            .Argument<QualityTaskInstanceFilterInputGraphType>("where", "Which runs to list; each condition becomes an upstream query parameter (name, task_type, run_status, notify_status, start_time, end_time). Absent: every run.")
            .ResolveAsync(async context => await resolver.ResolveAsync(context));
    }
}
