using System.ComponentModel;

namespace Gateway.Upstream;

public enum QualityTaskType
{
    QualityTask,
    ConsistencyTask,
}

public enum QualityRunStatus
{
    Running,
    Failed,
    Alarming,
    Success,
    Suspending,
    Unknown,
}

public enum QualityNotifyStatus
{
    NotTriggered,
    Success,
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
