using Gateway.Upstream;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

// The CLR enums are named like the GraphQL enums, and GraphQL.NET writes their members in
// CONSTANT_CASE (NotTriggered -> NOT_TRIGGERED), which is exactly the upstream's spelling.
// The descriptions are the upstream documentation's, in DataArts Quality's terms.
/// <summary>The GraphQL enum QualityTaskType over <see cref="QualityTaskType"/> (upstream task_type).</summary>
public sealed class QualityTaskTypeGraphType : EnumerationGraphType<QualityTaskType>
{
    /// <inheritdoc />
    public QualityTaskTypeGraphType()
    {
        Name = "QualityTaskType";
        Description = "The kind of DataArts Quality job a run belongs to (upstream task_type).";
        this.Describe("QUALITY_TASK", "A quality job: rules checking the data of one source.");
        this.Describe("CONSISTENCY_TASK", "A comparison job: rules checking that data agrees across sources.");
    }
}

/// <summary>The GraphQL enum QualityRunStatus over <see cref="QualityRunStatus"/> (upstream run_status).</summary>
public sealed class QualityRunStatusGraphType : EnumerationGraphType<QualityRunStatus>
{
    /// <inheritdoc />
    public QualityRunStatusGraphType()
    {
        Name = "QualityRunStatus";
        Description = "How a run stands or ended (upstream run_status).";
        this.Describe("RUNNING", "The run is in progress; its status and end time will change.");
        this.Describe("FAILED", "The run failed.");
        this.Describe("ALARMING", "The run finished and its rules raised an alarm.");
        this.Describe("SUCCESS", "The run finished and its rules passed.");
        this.Describe("SUSPENDING", "The run is being suspended; its status will change.");
        this.Describe("UNKNOWN", "The upstream reports the status as unknown, or sent a value this gateway does not know.");
    }
}

/// <summary>The GraphQL enum QualityNotifyStatus over <see cref="QualityNotifyStatus"/> (upstream notify_status).</summary>
public sealed class QualityNotifyStatusGraphType : EnumerationGraphType<QualityNotifyStatus>
{
    /// <inheritdoc />
    public QualityNotifyStatusGraphType()
    {
        Name = "QualityNotifyStatus";
        Description = "Whether the run's notification was sent (upstream notify_status).";
        this.Describe("NOT_TRIGGERED", "No notification was due for this run.");
        this.Describe("SUCCESS", "The notification was sent.");
        this.Describe("FAILED", "The notification could not be sent.");
    }
}

internal static class EnumValueDescriptions
{
    /// <summary>Describes one value; a name the enum does not have is a bug caught at start-up.</summary>
    public static void Describe(this EnumerationGraphType type, string value, string description) =>
        (type.Values.FindByName(value) ?? throw new InvalidOperationException($"{type.Name} has no value {value}.")).Description = description;
}
