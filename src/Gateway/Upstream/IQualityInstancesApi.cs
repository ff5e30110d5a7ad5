using Refit;

namespace Gateway.Upstream;

/// <summary>
/// DataArts Quality O&amp;M, "Obtaining the Task Execution Result List". Token and workspace are
/// parameters of the call, never defaults of the client: one HttpClient serves every caller.
/// </summary>
public interface IQualityInstancesApi
{
    /// <summary>GET /v2/{project_id}/quality/instances: one page of runs with the total for the query.</summary>
    /// <param name="projectId">The upstream project id.</param>
    /// <param name="token">The caller's own IAM token, sent as X-Auth-Token.</param>
    /// <param name="workspace">The caller's DataArts Studio workspace id, sent as the workspace header.</param>
    /// <param name="name">Exact job instance name, or null for no filter.</param>
    /// <param name="taskType">QUALITY_TASK or CONSISTENCY_TASK, or null.</param>
    /// <param name="runStatus">An upstream run status, or null.</param>
    /// <param name="notifyStatus">An upstream notification status, or null.</param>
    /// <param name="startTime">Runs started at or after this moment, in epoch milliseconds, or null.</param>
    /// <param name="endTime">Runs started at or before this moment, in epoch milliseconds, or null.</param>
    /// <param name="limit">Items per page, at most 100 (<see cref="InstanceBlock.Size"/>).</param>
    /// <param name="offset">Index of the first item, a multiple of <paramref name="limit"/> for an aligned block.</param>
    /// <param name="cancellationToken">Ends the call when the GraphQL request is abandoned.</param>
    /// <returns>The raw response: the client reads status, headers and error body itself.</returns>
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
