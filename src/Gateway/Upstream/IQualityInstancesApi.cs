using Refit;

namespace Gateway.Upstream;

/// <summary>
/// DataArts Quality O&amp;M, "Obtaining the Task Execution Result List". Token and workspace are
/// parameters of the call, never defaults of the client: one HttpClient serves every caller.
/// </summary>
public interface IQualityInstancesApi
{
    [Get("/v2/{projectId}/quality/instances")]
    Task<IApiResponse<InstanceListResponse>> ListInstancesAsync(
        string projectId,
        [Header("X-Auth-Token")] string token,
        [Header("workspace")] string workspace,
        [Query] string? name,
        [Query, AliasAs("task_type")] string? taskType,
        [Query, AliasAs("run_status")] string? runStatus,
        [Query, AliasAs("notify_status")] string? notifyStatus,
        [Query, AliasAs("start_time")] long? startTime,
        [Query, AliasAs("end_time")] long? endTime,
        [Query] int limit,
        [Query] int offset,
        CancellationToken cancellationToken);
}
