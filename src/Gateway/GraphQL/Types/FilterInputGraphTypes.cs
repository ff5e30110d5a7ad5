using Gateway.Upstream;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

// HotChocolate.Data's filter conventions (where: { runStatus: { eq: FAILED } }), trimmed to the
// operations the upstream can actually evaluate: offering more would mean filtering pages
// after the fact, which breaks offsets, counts and cursors.

/// <summary>The parsed value of an <c>{ eq: ... }</c> filter; <typeparamref name="T"/> is nullable, so "absent" stays null.</summary>
public sealed record EqualsFilter<T>(T Value);

/// <summary>The parsed value of a <c>{ gte: ..., lte: ... }</c> filter.</summary>
public sealed record DateTimeRangeFilter(DateTimeOffset? From, DateTimeOffset? To);

/// <summary>A filter input with one operation, <c>eq</c>: the only comparison the upstream's query parameters can make.</summary>
/// <typeparam name="TValueGraphType">The GraphQL type of <c>eq</c>.</typeparam>
/// <typeparam name="TValue">The nullable CLR value <c>eq</c> parses to; null means no filter.</typeparam>
public abstract class EqualsFilterInputGraphType<TValueGraphType, TValue> : InputObjectGraphType<EqualsFilter<TValue>>
    where TValueGraphType : IGraphType
{
    /// <summary>Names and describes the input type.</summary>
    /// <param name="name">The GraphQL type name, HotChocolate's (e.g. StringOperationFilterInput).</param>
    /// <param name="subject">What is compared, for the descriptions (e.g. "the run status").</param>
    protected EqualsFilterInputGraphType(string name, string subject)
    {
        Name = name;
        Description = $"A filter on {subject}: the upstream evaluates it, so pages, counts and cursors stay exact.";
        Field<TValueGraphType>("eq").Description($"Only runs whose {subject} equals this value; null or absent: no filter.");
    }

    /// <inheritdoc />
    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new EqualsFilter<TValue>(value.TryGetValue("eq", out var eq) && eq is TValue typed ? typed : default!);
    }
}

/// <summary>StringOperationFilterInput: <c>{ eq: "..." }</c> on a text, matched exactly by the upstream.</summary>
public sealed class StringOperationFilterInputGraphType() : EqualsFilterInputGraphType<StringGraphType, string?>("StringOperationFilterInput", "a text (matched exactly)");

/// <summary>QualityTaskTypeOperationFilterInput: <c>{ eq: QUALITY_TASK }</c>, sent as task_type.</summary>
public sealed class QualityTaskTypeOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityTaskTypeGraphType, QualityTaskType?>("QualityTaskTypeOperationFilterInput", "the job type");

/// <summary>QualityRunStatusOperationFilterInput: <c>{ eq: FAILED }</c>, sent as run_status.</summary>
public sealed class QualityRunStatusOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityRunStatusGraphType, QualityRunStatus?>("QualityRunStatusOperationFilterInput", "the run status");

/// <summary>QualityNotifyStatusOperationFilterInput: <c>{ eq: SUCCESS }</c>, sent as notify_status.</summary>
public sealed class QualityNotifyStatusOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityNotifyStatusGraphType, QualityNotifyStatus?>("QualityNotifyStatusOperationFilterInput", "the notification status");

/// <summary>DateTimeOperationFilterInput: <c>{ gte, lte }</c> bounds on the start time, sent as start_time and end_time in epoch milliseconds.</summary>
public sealed class DateTimeOperationFilterInputGraphType : InputObjectGraphType<DateTimeRangeFilter>
{
    /// <inheritdoc />
    public DateTimeOperationFilterInputGraphType()
    {
        Name = "DateTimeOperationFilterInput";
        Description = "Bounds on a date and time, each optional; values need an offset or Z and are sent to the upstream as 13-digit epoch milliseconds.";
        Field<UtcDateTimeGraphType>("gte").Description("At or after this moment (upstream start_time).");
        Field<UtcDateTimeGraphType>("lte").Description("At or before this moment (upstream end_time).");
    }

    /// <inheritdoc />
    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new DateTimeRangeFilter(
            value.TryGetValue("gte", out var from) ? from as DateTimeOffset? : null,
            value.TryGetValue("lte", out var to) ? to as DateTimeOffset? : null);
    }
}

/// <summary>QualityTaskInstanceFilterInput, the <c>where</c> argument, parsed into an <see cref="InstanceFilter"/> whose every condition is an upstream query parameter.</summary>
public sealed class QualityTaskInstanceFilterInputGraphType : InputObjectGraphType<InstanceFilter>
{
    /// <inheritdoc />
    public QualityTaskInstanceFilterInputGraphType()
    {
        Name = "QualityTaskInstanceFilterInput";
        Description = "Which runs to list, in HotChocolate.Data's shape (where: { runStatus: { eq: FAILED } }). Every condition must hold. Only what the upstream can evaluate is offered.";
        Field<StringOperationFilterInputGraphType>("name").Description("Rule name, matched exactly by the upstream (query parameter name).");
        Field<QualityTaskTypeOperationFilterInputGraphType>("taskType").Description("The job type (query parameter task_type).");
        Field<QualityRunStatusOperationFilterInputGraphType>("runStatus").Description("The run status (query parameter run_status).");
        Field<QualityNotifyStatusOperationFilterInputGraphType>("notifyStatus").Description("The notification status (query parameter notify_status).");
        Field<DateTimeOperationFilterInputGraphType>("startTime").Description("Bounds on the run's start time: gte is start_time, lte is end_time.");
    }

    /// <inheritdoc />
    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var range = Get<DateTimeRangeFilter>(value, "startTime");
        return new InstanceFilter(
            Name: Get<EqualsFilter<string?>>(value, "name")?.Value,
            TaskType: Get<EqualsFilter<QualityTaskType?>>(value, "taskType")?.Value,
            RunStatus: Get<EqualsFilter<QualityRunStatus?>>(value, "runStatus")?.Value,
            NotifyStatus: Get<EqualsFilter<QualityNotifyStatus?>>(value, "notifyStatus")?.Value,
            StartFrom: range?.From,
            StartTo: range?.To);
    }

    private static T? Get<T>(IDictionary<string, object?> value, string field)
        where T : class => value.TryGetValue(field, out var parsed) ? parsed as T : null;
}
