using Gateway.GraphQL.Types;
using GraphQL.Types;

namespace Gateway.Live.Schema;

/// <summary>The GraphQL type QualityTaskInstanceChange.</summary>
public sealed class QualityTaskInstanceChangeGraphType : ObjectGraphType<QualityTaskInstanceChange>
{
    /// <summary>kind, instance and totalCount.</summary>
    public QualityTaskInstanceChangeGraphType()
    {
        Name = "QualityTaskInstanceChange";
        Description = "One change the live feed saw at the head of the filtered list between two of its polls.";
        Field<NonNullGraphType<QualityTaskInstanceChangeKindGraphType>>("kind")
            .Description("Whether the instance entered the filtered list (ADDED) or changed in it (UPDATED).")
            .Resolve(context => context.Source.Kind);
        Field<NonNullGraphType<QualityTaskInstanceGraphType>>("instance")
            .Description("The instance as it is now, every field exactly as qualityTaskInstances serves it.")
            .Resolve(context => context.Source.Instance);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("The upstream's count for the filtered list when this change was seen.")
            .Resolve(context => context.Source.TotalCount);
    }
}

/// <summary>The GraphQL enum QualityTaskInstanceChangeKind: ADDED, UPDATED.</summary>
public sealed class QualityTaskInstanceChangeKindGraphType : EnumerationGraphType<QualityTaskInstanceChangeKind>
{
    /// <summary>The values, described.</summary>
    public QualityTaskInstanceChangeKindGraphType()
    {
        Name = "QualityTaskInstanceChangeKind";
        Description = "What kind of change the live feed saw.";
        this.Describe("ADDED", "The instance is in the filtered list now and was not at the previous poll: a new run, or one that newly matches the filter (e.g. turned FAILED under runStatus: { eq: FAILED }).");
        this.Describe("UPDATED", "The instance was in the list at the previous poll and its runStatus, notifyStatus or endTime changed.");
    }
}
