namespace QualityApi.Emulator;

/// <summary>Runs that start and finish while a test (or the auto-runner) watches: what a live feed sees.</summary>
public sealed partial class EmulatorControl
{
    /// <summary>Starts a run now: a new instance at the head of the project's list (offset 0), RUNNING unless told otherwise.</summary>
    /// <exception cref="ArgumentException">The status is not one the API documents.</exception>
    public QualityInstance AppendRun(string projectId, string runStatus = "RUNNING")
    {
        ArgumentNullException.ThrowIfNull(projectId);
        RequireRunStatus(runStatus);
        return datasets.Get(projectId).Append(runStatus, time.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>
    /// Changes a run's status where it is in the list (its position and start time stay). A
    /// status other than RUNNING or SUSPENDING finishes it: its end time becomes now, its
    /// notification <paramref name="notifyStatus"/> (SUCCESS unless given). Null when the id is unknown.
    /// </summary>
    /// <exception cref="ArgumentException">A status is not one the API documents.</exception>
    public QualityInstance? SetRunStatus(string projectId, long instanceId, string runStatus, string? notifyStatus = null)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        RequireRunStatus(runStatus);
        if (notifyStatus is not null && !Vocabulary.NotifyStatuses.Contains(notifyStatus))
        {
            throw new ArgumentException($"'{notifyStatus}' is not a notify_status the API documents.", nameof(notifyStatus));
        }

        var finished = runStatus is not ("RUNNING" or "SUSPENDING");
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        return datasets.Get(projectId).Update(instanceId, instance => instance with
        {
            RunStatus = runStatus,
            NotifyStatus = notifyStatus ?? (finished ? "SUCCESS" : instance.NotifyStatus),
            EndTime = finished ? Math.Max(now, instance.StartTime) : instance.EndTime,
        });
    }

    /// <summary>The project ids whose data sets exist so far (the auto-runner moves these).</summary>
    internal IReadOnlyCollection<string> KnownProjects => datasets.ProjectIds;

    private static void RequireRunStatus(string runStatus)
    {
        if (!Vocabulary.RunStatuses.Contains(runStatus))
        {
            throw new ArgumentException($"'{runStatus}' is not a run_status the API documents.", nameof(runStatus));
        }
    }
}
