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

public abstract class EqualsFilterInputGraphType<TValueGraphType, TValue> : InputObjectGraphType<EqualsFilter<TValue>>
    where TValueGraphType : IGraphType
{
    protected EqualsFilterInputGraphType(string name)
    {
        Name = name;
        Field<TValueGraphType>("eq");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new EqualsFilter<TValue>(value.TryGetValue("eq", out var eq) && eq is TValue typed ? typed : default!);
    }
}

public sealed class StringOperationFilterInputGraphType() : EqualsFilterInputGraphType<StringGraphType, string?>("StringOperationFilterInput");

public sealed class QualityTaskTypeOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityTaskTypeGraphType, QualityTaskType?>("QualityTaskTypeOperationFilterInput");

public sealed class QualityRunStatusOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityRunStatusGraphType, QualityRunStatus?>("QualityRunStatusOperationFilterInput");

public sealed class QualityNotifyStatusOperationFilterInputGraphType() : EqualsFilterInputGraphType<QualityNotifyStatusGraphType, QualityNotifyStatus?>("QualityNotifyStatusOperationFilterInput");

public sealed class DateTimeOperationFilterInputGraphType : InputObjectGraphType<DateTimeRangeFilter>
{
    public DateTimeOperationFilterInputGraphType()
    {
        Name = "DateTimeOperationFilterInput";
        Field<UtcDateTimeGraphType>("gte");
        Field<UtcDateTimeGraphType>("lte");
    }

    public override object ParseDictionary(IDictionary<string, object?> value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new DateTimeRangeFilter(
            value.TryGetValue("gte", out var from) ? from as DateTimeOffset? : null,
            value.TryGetValue("lte", out var to) ? to as DateTimeOffset? : null);
    }
}

public sealed class QualityTaskInstanceFilterInputGraphType : InputObjectGraphType<InstanceFilter>
{
    public QualityTaskInstanceFilterInputGraphType()
    {
        Name = "QualityTaskInstanceFilterInput";
        Field<StringOperationFilterInputGraphType>("name").Description("Rule name, matched exactly by the upstream (query parameter name).");
        Field<QualityTaskTypeOperationFilterInputGraphType>("taskType").Description("Query parameter task_type.");
        Field<QualityRunStatusOperationFilterInputGraphType>("runStatus").Description("Query parameter run_status.");
        Field<QualityNotifyStatusOperationFilterInputGraphType>("notifyStatus").Description("Query parameter notify_status.");
        Field<DateTimeOperationFilterInputGraphType>("startTime").Description("Bounds on the run's start time: gte is start_time, lte is end_time.");
    }

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
