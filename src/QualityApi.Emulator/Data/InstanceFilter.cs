namespace QualityApi.Emulator;

/// <summary>The documented filters; null means "not given". Time bounds are inclusive on start_time.</summary>
internal sealed record InstanceFilter(
    string? Name,
    string? TaskType,
    string? RunStatus,
    string? NotifyStatus,
    long? StartTime,
    long? EndTime)
{
    public bool Matches(QualityInstance instance) =>
        (Name is null || string.Equals(instance.Name, Name, StringComparison.Ordinal))
        && (TaskType is null || string.Equals(instance.TaskType, TaskType, StringComparison.Ordinal))
        && (RunStatus is null || string.Equals(instance.RunStatus, RunStatus, StringComparison.Ordinal))
        && (NotifyStatus is null || string.Equals(instance.NotifyStatus, NotifyStatus, StringComparison.Ordinal))
        && (StartTime is not { } from || instance.StartTime >= from)
        && (EndTime is not { } to || instance.StartTime <= to);

    /// <summary>One pass: the total that matches and the window [offset, offset + limit) of it.</summary>
    public (int Count, List<QualityInstance> Page) Apply(ReadOnlySpan<QualityInstance> items, int offset, int limit)
    {
        var page = new List<QualityInstance>(Math.Min(limit, Math.Max(0, items.Length - offset)));
        var count = 0;
        foreach (var instance in items)
        {
            if (!Matches(instance))
            {
                continue;
            }

            if (count >= offset && page.Count < limit)
            {
                page.Add(instance);
            }

            count++;
        }

        return (count, page);
    }
}
