using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>
/// What changed at the head of a list (newest first) between two polls of its first block.
/// Pure: the feed keeps the previous head, this compares.
/// </summary>
public static class ChangeDetector
{
    /// <summary>
    /// ADDED for an instance in <paramref name="current"/> that was not in <paramref name="previous"/>
    /// and sorts before the previous head's last item (or the previous head was the whole list):
    /// one that only slid into view from below, because items above it left the filter, was in
    /// the list all along. UPDATED for one in both whose runStatus, notifyStatus or endTime
    /// differs. Oldest first (the list's order reversed).
    /// </summary>
    public static IReadOnlyList<QualityTaskInstanceChange> Diff(IReadOnlyList<QualityTaskInstance> previous, bool previousWasWholeList, IReadOnlyList<QualityTaskInstance> current, int totalCount)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = new Dictionary<long, QualityTaskInstance>(previous.Count);
        foreach (var item in previous)
        {
            before.TryAdd(item.Id, item);
        }

        var floor = previous.Count > 0 && !previousWasWholeList ? previous[^1] : null;
        var changes = new List<QualityTaskInstanceChange>();
        for (var i = current.Count - 1; i >= 0; i--)
        {
            var item = current[i];
            if (before.TryGetValue(item.Id, out var was))
            {
                if (was.RunStatus != item.RunStatus || was.NotifyStatus != item.NotifyStatus || was.EndTime != item.EndTime)
                {
                    changes.Add(new QualityTaskInstanceChange(QualityTaskInstanceChangeKind.Updated, item, totalCount));
                }
            }
            else if (floor is null || IsNewer(item, floor))
            {
                changes.Add(new QualityTaskInstanceChange(QualityTaskInstanceChangeKind.Added, item, totalCount));
            }
        }

        return changes;
    }

    /// <summary>The upstream's order: start_time descending, then id descending.</summary>
    private static bool IsNewer(QualityTaskInstance item, QualityTaskInstance than)
    {
        var (a, b) = (item.StartTime ?? DateTimeOffset.MinValue, than.StartTime ?? DateTimeOffset.MinValue);
        return a != b ? a > b : item.Id > than.Id;
    }
}
