using System.Text.Json.Serialization;

namespace Gateway.Upstream;

/// <summary>The 200 body of the list call, exactly as the upstream writes it.</summary>
public sealed class InstanceListResponse
{
    /// <summary>The upstream's total of runs matching the query (upstream <c>count</c>), not the size of this page; it becomes totalCount.</summary>
    [JsonPropertyName("count")]
    public int Count { get; set; }

    /// <summary>This page's runs (upstream <c>resources</c>), at most <c>limit</c> of them; null when the upstream sent none.</summary>
    [JsonPropertyName("resources")]
    public List<InstanceOverviewDto>? Resources { get; set; }
}

/// <summary>
/// InstanceOverviewVo. Ids are <see cref="long"/>: System.Text.Json reads JSON integers into
/// them exactly, whereas anything that passes through a double loses the low digits of
/// 19-digit ids.
/// </summary>
public sealed class InstanceOverviewDto
{
    /// <summary>The job instance id (upstream <c>id</c>), a 64-bit integer that can exceed 2^53; a run without one is UPSTREAM_BAD_RESPONSE.</summary>
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    /// <summary>The job instance name (upstream <c>name</c>).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The id of the quality or comparison job this run belongs to (upstream <c>task_id</c>), a 64-bit integer.</summary>
    [JsonPropertyName("task_id")]
    public long? TaskId { get; set; }

    /// <summary>QUALITY_TASK or CONSISTENCY_TASK (upstream <c>task_type</c>), read by <see cref="UpstreamValues.ParseTaskType"/>.</summary>
    [JsonPropertyName("task_type")]
    public string? TaskType { get; set; }

    /// <summary>RUNNING, FAILED, ALARMING, SUCCESS, SUSPENDING or UNKNOWN (upstream <c>run_status</c>), read by <see cref="UpstreamValues.ParseRunStatus"/>.</summary>
    [JsonPropertyName("run_status")]
    public string? RunStatus { get; set; }

    /// <summary>NOT_TRIGGERED, SUCCESS or FAILED (upstream <c>notify_status</c>), read by <see cref="UpstreamValues.ParseNotifyStatus"/>.</summary>
    [JsonPropertyName("notify_status")]
    public string? NotifyStatus { get; set; }

    /// <summary>When the run started, in 13-digit epoch milliseconds (upstream <c>start_time</c>); null if not given.</summary>
    [JsonPropertyName("start_time")]
    public long? StartTime { get; set; }

    /// <summary>When the run ended, in 13-digit epoch milliseconds (upstream <c>end_time</c>); null while it runs or if not given.</summary>
    [JsonPropertyName("end_time")]
    public long? EndTime { get; set; }
}

/// <summary>The 4xx/5xx body shared by the service ("DQC.xxxx") and its API gateway ("APIGW.xxxx").</summary>
public sealed class UpstreamErrorBody
{
    /// <summary>The upstream's code, e.g. "DQC.0005" or "APIGW.0308"; forwarded as the upstreamErrorCode extension.</summary>
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; set; }

    /// <summary>The upstream's message. Never forwarded to the caller: the gateway writes its own.</summary>
    [JsonPropertyName("error_msg")]
    public string? ErrorMessage { get; set; }
}

[JsonSerializable(typeof(InstanceListResponse))]
[JsonSerializable(typeof(UpstreamErrorBody))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
