using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace QualityApi.Emulator;

/// <summary>
/// GET /v2/{project_id}/quality/instances. Per call: count it and take its fault, wait the
/// latency, then either act out the fault or check, in the real service's order, token (401),
/// throttle (429), access rule (403), workspace header and query (400), and answer.
/// </summary>
internal sealed class InstancesEndpoint(
    EmulatorSettings settings,
    EmulatorControl control,
    DatasetStore datasets,
    TokenThrottle throttle,
    TimeProvider time,
    IHostApplicationLifetime lifetime)
{
    public const string Route = "/v2/{projectId}/quality/instances";

    private const string JsonContentType = "application/json;charset=UTF-8";

    private static readonly byte[] MalformedBody = """{"count": 5, "resources": [ {"id": ,,}}garbage"""u8.ToArray();
    private static readonly byte[] UnavailableBody = "Service Unavailable"u8.ToArray();

    public async Task HandleAsync(HttpContext context, string projectId)
    {
        var request = context.Request;
        var token = request.Headers.TryGetValue("X-Auth-Token", out var t) ? t.ToString() : null;
        var workspace = request.Headers.TryGetValue("workspace", out var w) ? w.ToString() : null;
        var arrivedAt = time.GetUtcNow();
        var fault = control.BeginListCall();
        var statusCode = 0;
        try
        {
            statusCode = await RespondAsync(context, projectId, token, workspace, fault);
        }
        finally
        {
            control.Record(new RecordedRequest(arrivedAt, projectId, token, workspace, request.QueryString.Value ?? "", statusCode, request.Headers["traceparent"].FirstOrDefault()));
        }
    }

    /// <returns>The status code sent, or 0 when the connection was dropped instead.</returns>
    private async Task<int> RespondAsync(HttpContext context, string projectId, string? token, string? workspace, Fault? fault)
    {
        // Delays end early when the client gives up (nobody to answer) or the host stops
        // (so disposing an emulator in a test never waits out a long Slow fault).
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await DelayAsync(control.LatencyMilliseconds, cancellation.Token);
            await DelayAsync(fault?.DelayMilliseconds ?? 0, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
            return 0;
        }

        switch (fault?.Kind)
        {
            case FaultKind.ServerError500:
                return await WriteAsync(context, Error(ApiErrors.InternalError));
            case FaultKind.ServiceUnavailable503:
                return await WriteAsync(context, new Reply(503, "text/plain;charset=UTF-8", UnavailableBody));
            case FaultKind.TooManyRequests429:
                return await WriteAsync(context, Error(ApiErrors.Throttled(settings.Throttle?.Limit ?? 40, settings.Throttle?.WindowSeconds ?? 10, fault.RetryAfterSeconds, fault.ErrorCode ?? ApiErrors.ThrottledCode)));
            case FaultKind.MalformedJson:
                return await WriteAsync(context, new Reply(200, JsonContentType, MalformedBody));
            case FaultKind.CloseConnection:
                context.Abort();
                return 0;
            case FaultKind.TruncatedJson:
                var whole = Answer(projectId, token, workspace, context.Request.Query);
                return await WriteAsync(context, whole with { Body = whole.Body[..(whole.Body.Length / 2)] });
            case FaultKind.UnexpectedValues:
                var page = Answer(projectId, token, workspace, context.Request.Query);
                return await WriteAsync(context, page.StatusCode == 200 ? page with { Body = WithUnexpectedValues(page.Body) } : page);
            default:
                return await WriteAsync(context, Answer(projectId, token, workspace, context.Request.Query));
        }
    }

    private static byte[] WithUnexpectedValues(byte[] body)
    {
        var page = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        var items = page["resources"]!.AsArray();
        if (items.Count > 3)
        {
            items[0]!["run_status"] = "PAUSED";
            items[1]!["task_type"] = "NEW_KIND";
            items[2]!.AsObject().Remove("notify_status");
            items[3]!.AsObject().Remove("name");
        }

        return System.Text.Encoding.UTF8.GetBytes(page.ToJsonString());
    }

    private Reply Answer(string projectId, string? token, string? workspace, IQueryCollection query)
    {
        if (string.IsNullOrEmpty(token))
        {
            return Error(ApiErrors.MissingToken);
        }

        if (settings.Tokens.Count > 0 && !settings.Tokens.Contains(token))
        {
            return Error(ApiErrors.UnknownToken);
        }

        if (throttle.TryAdmit(token) is { } throttled)
        {
            return Error(throttled);
        }

        if (settings.AccessRules.TryGetValue(token, out var scope))
        {
            if (!scope.AllowsProject(projectId))
            {
                return Error(ApiErrors.ProjectDenied);
            }

            // A missing header is reported as such below, not as a denied workspace.
            if (!string.IsNullOrEmpty(workspace) && !scope.AllowsWorkspace(workspace))
            {
                return Error(ApiErrors.WorkspaceDenied);
            }
        }

        if (string.IsNullOrEmpty(workspace))
        {
            return Error(ApiErrors.MissingWorkspace);
        }

        if (ListQuery.Parse(query, out var invalid) is not { } list)
        {
            return Error(invalid!);
        }

        var (count, page) = list.Filter.Apply(datasets.Get(projectId).Items.AsSpan(), list.Offset, list.Limit);
        var body = JsonSerializer.SerializeToUtf8Bytes(new InstancesPage(count, page), UpstreamJsonContext.Default.InstancesPage);
        return new Reply(200, JsonContentType, body);
    }

    private static Reply Error(ApiError error) =>
        new(
            error.StatusCode,
            JsonContentType,
            JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(error.Code, error.Message), UpstreamJsonContext.Default.ErrorBody),
            error.RetryAfterSeconds);

    private static async Task<int> WriteAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        response.ContentType = reply.ContentType;
        response.ContentLength = reply.Body.Length;
        if (reply.RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }

        await response.Body.WriteAsync(reply.Body, context.RequestAborted);
        return reply.StatusCode;
    }

    private static Task DelayAsync(int milliseconds, CancellationToken cancellationToken) =>
        milliseconds > 0 ? Task.Delay(milliseconds, cancellationToken) : Task.CompletedTask;

    private sealed record Reply(int StatusCode, string ContentType, byte[] Body, int? RetryAfterSeconds = null);
}
