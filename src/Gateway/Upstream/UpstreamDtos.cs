using System.Text.Json.Serialization;

namespace Gateway.Upstream;

/// <summary>The 200 body of the list call, exactly as the upstream writes it.</summary>
public sealed class InstanceListResponse
{
    [JsonPropertyName("count")]
    public int Count { get; set; }

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
    [JsonPropertyName("id")]
    public long? Id { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("task_id")]
    public long? TaskId { get; set; }

    [JsonPropertyName("task_type")]
    public string? TaskType { get; set; }

    [JsonPropertyName("run_status")]
    public string? RunStatus { get; set; }

    [JsonPropertyName("notify_status")]
    public string? NotifyStatus { get; set; }

    [JsonPropertyName("start_time")]
    public long? StartTime { get; set; }

    [JsonPropertyName("end_time")]
    public long? EndTime { get; set; }
}

/// <summary>The 4xx/5xx body shared by the service ("DQC.xxxx") and its API gateway ("APIGW.xxxx").</summary>
public sealed class UpstreamErrorBody
{
    [JsonPropertyName("error_code")]
    public string? ErrorCode { get; set; }

    [JsonPropertyName("error_msg")]
    public string? ErrorMessage { get; set; }
}

[JsonSerializable(typeof(InstanceListResponse))]
[JsonSerializable(typeof(UpstreamErrorBody))]
internal sealed partial class UpstreamJsonContext : JsonSerializerContext;
