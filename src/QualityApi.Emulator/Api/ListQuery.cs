using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace QualityApi.Emulator;

/// <summary>A validated list request.</summary>
internal sealed record ListQuery(InstanceFilter Filter, int Limit, int Offset)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>
    /// Validates in the order the documentation lists the parameters, so one request always
    /// yields the same error. An empty value counts as absent (what a form-style client sends
    /// for an unset field); a parameter given twice is invalid; unknown parameters are ignored.
    /// </summary>
    public static ListQuery? Parse(IQueryCollection query, out ApiError? error)
    {
        error = null;
        if (!TryGetSingle(query, "name", out var name))
        {
            error = ApiErrors.RepeatedName;
            return null;
        }

        if (!TryEnum(query, Vocabulary.TaskTypes, out var taskType, ref error)
            || !TryEnum(query, Vocabulary.RunStatuses, out var runStatus, ref error)
            || !TryEnum(query, Vocabulary.NotifyStatuses, out var notifyStatus, ref error)
            || !TryTime(query, "start_time", out var startTime, ref error)
            || !TryTime(query, "end_time", out var endTime, ref error))
        {
            return null;
        }

        if (!TryInt(query, "limit", DefaultLimit, out var limit) || limit is < 1 or > MaxLimit)
        {
            error = ApiErrors.InvalidLimit;
            return null;
        }

        if (!TryInt(query, "offset", 0, out var offset) || offset < 0)
        {
            error = ApiErrors.InvalidOffset;
            return null;
        }

        return new ListQuery(new InstanceFilter(name, taskType, runStatus, notifyStatus, startTime, endTime), limit, offset);
    }

    private static bool TryGetSingle(IQueryCollection query, string key, out string? value)
    {
        var values = query.TryGetValue(key, out var v) ? v : StringValues.Empty;
        value = values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        return values.Count <= 1;
    }

    private static bool TryEnum(IQueryCollection query, AllowedValues allowed, out string? value, ref ApiError? error)
    {
        if (TryGetSingle(query, allowed.Parameter, out value) && (value is null || allowed.Contains(value)))
        {
            return true;
        }

        error = allowed.Error;
        return false;
    }

    private static bool TryTime(IQueryCollection query, string key, out long? value, ref ApiError? error)
    {
        value = null;
        if (TryGetSingle(query, key, out var raw))
        {
            if (raw is null)
            {
                return true;
            }

            // The documented format is a 13-digit millisecond timestamp (2001-09-09 to 2286).
            if (raw.Length == 13 && long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                value = parsed;
                return true;
            }
        }

        error = ApiErrors.InvalidTime(key);
        return false;
    }

    private static bool TryInt(IQueryCollection query, string key, int fallback, out int value)
    {
        value = fallback;
        if (!TryGetSingle(query, key, out var raw))
        {
            return false;
        }

        // A leading sign parses, so "-1" reports as out of range rather than as not a number.
        return raw is null || int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }
}
