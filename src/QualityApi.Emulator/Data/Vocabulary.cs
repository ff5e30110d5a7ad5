using System.Collections.Frozen;

namespace QualityApi.Emulator;

/// <summary>The enum values the documentation lists; the query validation and the generator share them.</summary>
internal static class Vocabulary
{
    public const string QualityTask = "QUALITY_TASK";
    public const string ConsistencyTask = "CONSISTENCY_TASK";
    public const string Running = "RUNNING";
    public const string Suspending = "SUSPENDING";

    public static readonly AllowedValues TaskTypes = new("task_type", [QualityTask, ConsistencyTask]);

    public static readonly AllowedValues RunStatuses =
        new("run_status", [Running, "FAILED", "ALARMING", "SUCCESS", Suspending, "UNKNOWN"]);

    public static readonly AllowedValues NotifyStatuses = new("notify_status", ["NOT_TRIGGERED", "SUCCESS", "FAILED"]);
}

/// <summary>A query parameter's legal values, with its error prepared once instead of per bad request.</summary>
internal sealed class AllowedValues(string parameter, string[] documentedOrder)
{
    private readonly FrozenSet<string> values = documentedOrder.ToFrozenSet(StringComparer.Ordinal);

    public string Parameter { get; } = parameter;

    public ApiError Error { get; } = ApiErrors.InvalidEnum(parameter, documentedOrder);

    public bool Contains(string value) => values.Contains(value);
}
