using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>What kind of change a feed saw (the GraphQL enum QualityTaskInstanceChangeKind).</summary>
public enum QualityTaskInstanceChangeKind
{
    /// <summary>Now in the filtered list, and not at the previous poll.</summary>
    Added,

    /// <summary>Still in the list, with another runStatus, notifyStatus or endTime.</summary>
    Updated,
}

/// <summary>One change the feed saw between two polls, with the list's total at the later one.</summary>
public sealed record QualityTaskInstanceChange(QualityTaskInstanceChangeKind Kind, QualityTaskInstance Instance, int TotalCount);

/// <summary>
/// A failure the feed reports to its subscribers: a coded GraphQL error. <see cref="Ends"/>
/// when retrying cannot help (the upstream refused the caller), so the subscription ends.
/// </summary>
public sealed record LiveFault(string Code, string Message, IReadOnlyDictionary<string, object?>? Extensions, bool Ends);

/// <summary>
/// What one poll produced for every subscriber of a feed: its changes, oldest first, or a
/// fault; and the head it saw, so that every process with subscribers keeps the same baseline
/// and whichever takes the poll lease over goes on from where the last poll left off.
/// </summary>
public sealed record LiveBatch(IReadOnlyList<QualityTaskInstanceChange> Changes, LiveFault? Fault, LiveHead? Head = null);

/// <summary>
/// The head of a list as one poll saw it: block 0's items, whether they were the whole list,
/// and when the poll was answered (a process keeps the latest it has heard of).
/// </summary>
public sealed record LiveHead(IReadOnlyList<QualityTaskInstance> Items, bool WholeList, DateTimeOffset SeenAt)
{
    /// <summary>True when the two heads differ in what the feed compares: the ids, in order, and their runStatus, notifyStatus and endTime.</summary>
    public bool DiffersFrom(LiveHead? other) =>
        other is null
        || other.WholeList != WholeList
        || other.Items.Count != Items.Count
        || Items.Where((item, i) => item.Id != other.Items[i].Id || item.RunStatus != other.Items[i].RunStatus || item.NotifyStatus != other.Items[i].NotifyStatus || item.EndTime != other.Items[i].EndTime).Any();
}
