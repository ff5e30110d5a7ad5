using Gateway.Live;
using Gateway.Upstream;

namespace Gateway.Tests.Live;

public sealed class ChangeDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_runs_at_the_head_are_ADDED_and_changed_runs_UPDATED_oldest_first()
    {
        var previous = new[] { Run(3, QualityRunStatus.Running), Run(2, QualityRunStatus.Running), Run(1, QualityRunStatus.Success) };
        var current = new[] { Run(5, QualityRunStatus.Running), Run(4, QualityRunStatus.Running), Run(3, QualityRunStatus.Failed), Run(2, QualityRunStatus.Running), Run(1, QualityRunStatus.Success) };

        var changes = ChangeDetector.Diff(previous, previousWasWholeList: true, current, totalCount: 5);

        Assert.Equal(
            [(QualityTaskInstanceChangeKind.Updated, 3L), (QualityTaskInstanceChangeKind.Added, 4L), (QualityTaskInstanceChangeKind.Added, 5L)],
            changes.Select(change => (change.Kind, change.Instance.Id)));
        Assert.All(changes, change => Assert.Equal(5, change.TotalCount));
    }

    [Fact]
    public void A_notify_status_or_end_time_change_is_an_update_and_nothing_else_is()
    {
        var previous = new[] { Run(2, QualityRunStatus.Success), Run(1, QualityRunStatus.Success) };
        var current = new[]
        {
            Run(2, QualityRunStatus.Success) with { NotifyStatus = QualityNotifyStatus.Failed },
            Run(1, QualityRunStatus.Success) with { Name = "renamed" },
        };

        var changes = ChangeDetector.Diff(previous, previousWasWholeList: true, current, totalCount: 2);

        Assert.Equal([2L], changes.Select(change => change.Instance.Id));
    }

    [Fact]
    public void A_run_that_only_slid_into_view_from_below_is_not_ADDED()
    {
        // Under runStatus: RUNNING, run 3 finished and left the list: run 1, older than the
        // previous head's last item, moved up into the first block without being new.
        var previous = new[] { Run(3, QualityRunStatus.Running), Run(2, QualityRunStatus.Running) };
        var current = new[] { Run(2, QualityRunStatus.Running), Run(1, QualityRunStatus.Running) };

        Assert.Empty(ChangeDetector.Diff(previous, previousWasWholeList: false, current, totalCount: 2));
        Assert.Equal([1L], ChangeDetector.Diff(previous, previousWasWholeList: true, current, totalCount: 2).Select(change => change.Instance.Id));
    }

    [Fact]
    public void The_same_head_twice_is_no_change() =>
        Assert.Empty(ChangeDetector.Diff([Run(1, QualityRunStatus.Running)], previousWasWholeList: false, [Run(1, QualityRunStatus.Running)], totalCount: 1));

    private static QualityTaskInstance Run(long id, QualityRunStatus status) =>
        new(id, $"run-{id}", 7, QualityTaskType.QualityTask, status, QualityNotifyStatus.NotTriggered, T0.AddSeconds(id), status == QualityRunStatus.Running ? null : T0.AddSeconds(id + 60));
}
