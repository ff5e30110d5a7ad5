using Gateway.GraphQL.Types;
using GraphQL.Types;

namespace Gateway.GraphQL;

public sealed class QualityQueryGraphType : ObjectGraphType
{
    public QualityQueryGraphType(QualityTaskInstancesResolver resolver)
    {
        Name = "Query";
        Field<QualityTaskInstancesConnectionGraphType>("qualityTaskInstances")
            .Description("DataArts Quality task execution results, newest first (GET /v2/{project_id}/quality/instances).")
            .Argument<StringGraphType>("projectId", "Huawei Cloud project id; defaults to Upstream:DefaultProjectId.")
            .Argument<IntGraphType>("first", "Returns the first _n_ elements from the list.")
            .Argument<StringGraphType>("after", "Returns the elements in the list that come after the specified cursor.")
            .Argument<IntGraphType>("last", "Returns the last _n_ elements from the list.")
            .Argument<StringGraphType>("before", "Returns the elements in the list that come before the specified cursor.")
            .Argument<QualityTaskInstanceFilterInputGraphType>("where")
            .ResolveAsync(async context => await resolver.ResolveAsync(context));
    }
}
