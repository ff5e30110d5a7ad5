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

/// <summary>What one poll produced for every subscriber of a feed: its changes, oldest first, or a fault.</summary>
public sealed record LiveBatch(IReadOnlyList<QualityTaskInstanceChange> Changes, LiveFault? Fault);
