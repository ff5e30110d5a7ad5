namespace QualityApi.Emulator;

/// <summary>
/// One task execution result (the API's InstanceOverviewVo). <see cref="Id"/> and
/// <see cref="TaskId"/> exceed 2^53 and are odd, so any trip through a double changes them.
/// Times are epoch milliseconds.
/// </summary>
public sealed record QualityInstance(
    long Id,
    string Name,
    long TaskId,
    string TaskType,
    string RunStatus,
    string NotifyStatus,
    long StartTime,
    long EndTime);
