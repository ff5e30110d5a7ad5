using System.ComponentModel;

namespace Gateway.Upstream;

/// <summary>The kind of DataArts Quality job a run belongs to (upstream <c>task_type</c>; GraphQL enum QualityTaskType).</summary>
public enum QualityTaskType
{
    /// <summary>A quality job: rules checking the data of one source (upstream QUALITY_TASK).</summary>
    QualityTask,
    /// <summary>A comparison job: rules checking that data agrees across sources (upstream CONSISTENCY_TASK).</summary>
    ConsistencyTask,
}

/// <summary>How a run stands or ended (upstream <c>run_status</c>; GraphQL enum QualityRunStatus).</summary>
public enum QualityRunStatus
{
    /// <summary>The run is in progress; its status and end time will change (upstream RUNNING), so a block holding it is refreshed sooner.</summary>
    Running,
    /// <summary>The run failed (upstream FAILED).</summary>
    Failed,
    /// <summary>The run finished and its rules raised an alarm (upstream ALARMING).</summary>
    Alarming,
    /// <summary>The run finished and its rules passed (upstream SUCCESS).</summary>
    Success,
    /// <summary>The run is being suspended; its status will change (upstream SUSPENDING), so a block holding it is refreshed sooner.</summary>
    Suspending,
    /// <summary>The upstream reports UNKNOWN, or sent a value this gateway does not know (logged once per value).</summary>
    Unknown,
}

/// <summary>Whether the run's notification was sent (upstream <c>notify_status</c>; GraphQL enum QualityNotifyStatus).</summary>
public enum QualityNotifyStatus
{
    /// <summary>No notification was due for this run (upstream NOT_TRIGGERED).</summary>
    NotTriggered,
    /// <summary>The notification was sent (upstream SUCCESS).</summary>
    Success,
    /// <summary>The notification could not be sent (upstream FAILED).</summary>
    Failed,
}

/// <summary>One task execution result, as the gateway models it (ids kept as exact 64-bit integers).</summary>
// Immutable and sealed, like InstanceBlock: HybridCache hands out the cached instance itself
// on an L1 hit of an entity lookup.
[ImmutableObject(true)]
public sealed record QualityTaskInstance(
    long Id,
    string Name,
    long TaskId,
    QualityTaskType TaskType,
    QualityRunStatus RunStatus,
    QualityNotifyStatus NotifyStatus,
    DateTimeOffset? StartTime,
    DateTimeOffset? EndTime);

/// <summary>
/// One aligned upstream page (offset = index * size, limit = size) with the upstream's total
/// for the query at the time it was fetched.
/// </summary>
// Immutable and sealed: HybridCache then hands out the same instance on every L1 hit instead
// of deserializing a defensive copy.
[ImmutableObject(true)]
public sealed record InstanceBlock(int Count, DateTimeOffset FetchedAt, IReadOnlyList<QualityTaskInstance> Items)
{
    /// <summary>
    /// Items per block: the upstream's maximum <c>limit</c>, so one call fills one block, and a
    /// page of up to 100 items never needs more than two.
    /// </summary>
    public const int Size = 100;

    /// <summary>True when an instance in the block is still running or suspended: its status will change soon.</summary>
    public bool HoldsUnfinishedRuns { get; } = Items.Any(item => item.RunStatus is QualityRunStatus.Running or QualityRunStatus.Suspending);
}
