namespace Gateway.Upstream;

/// <summary>The upstream's spelling of each enum value, both ways, without reflection.</summary>
public static class UpstreamValues
{
    /// <summary>The <c>task_type</c> query parameter for a job type; null (no parameter) for no filter.</summary>
    public static string? ToUpstream(QualityTaskType? value) => value switch
    {
        QualityTaskType.QualityTask => "QUALITY_TASK",
        QualityTaskType.ConsistencyTask => "CONSISTENCY_TASK",
        _ => null,
    };

    /// <summary>The <c>run_status</c> query parameter for a run status; null (no parameter) for no filter.</summary>
    public static string? ToUpstream(QualityRunStatus? value) => value switch
    {
        QualityRunStatus.Running => "RUNNING",
        QualityRunStatus.Failed => "FAILED",
        QualityRunStatus.Alarming => "ALARMING",
        QualityRunStatus.Success => "SUCCESS",
        QualityRunStatus.Suspending => "SUSPENDING",
        QualityRunStatus.Unknown => "UNKNOWN",
        _ => null,
    };

    /// <summary>The <c>notify_status</c> query parameter for a notification status; null (no parameter) for no filter.</summary>
    public static string? ToUpstream(QualityNotifyStatus? value) => value switch
    {
        QualityNotifyStatus.NotTriggered => "NOT_TRIGGERED",
        QualityNotifyStatus.Success => "SUCCESS",
        QualityNotifyStatus.Failed => "FAILED",
        _ => null,
    };

    /// <summary>A <c>task_type</c> as the upstream spells it; null for a value this gateway does not know.</summary>
    public static QualityTaskType? ParseTaskType(string? value) => value switch
    {
        "QUALITY_TASK" => QualityTaskType.QualityTask,
        "CONSISTENCY_TASK" => QualityTaskType.ConsistencyTask,
        _ => null,
    };

    /// <summary>A <c>run_status</c> as the upstream spells it; null for a value this gateway does not know (the caller then reports UNKNOWN).</summary>
    public static QualityRunStatus? ParseRunStatus(string? value) => value switch
    {
        "RUNNING" => QualityRunStatus.Running,
        "FAILED" => QualityRunStatus.Failed,
        "ALARMING" => QualityRunStatus.Alarming,
        "SUCCESS" => QualityRunStatus.Success,
        "SUSPENDING" => QualityRunStatus.Suspending,
        "UNKNOWN" => QualityRunStatus.Unknown,
        _ => null,
    };

    /// <summary>A <c>notify_status</c> as the upstream spells it; null for a value this gateway does not know.</summary>
    public static QualityNotifyStatus? ParseNotifyStatus(string? value) => value switch
    {
        "NOT_TRIGGERED" => QualityNotifyStatus.NotTriggered,
        "SUCCESS" => QualityNotifyStatus.Success,
        "FAILED" => QualityNotifyStatus.Failed,
        _ => null,
    };
}
