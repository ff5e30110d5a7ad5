using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Gateway.Telemetry;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;

namespace Gateway.Upstream;

/// <summary>
/// Fetches one aligned block of the result list and turns every way the call can fail into an
/// <see cref="UpstreamException"/>, so nothing above this class sees HTTP or Refit types.
/// </summary>
public sealed partial class QualityInstancesClient(IQualityInstancesApi api, IUpstreamBudget budget, GatewayMetrics metrics, TimeProvider time, ILogger<QualityInstancesClient> logger)
{
    // Each unknown value is logged once per process, not once per item of every page.
    private readonly ConcurrentDictionary<string, bool> _reportedUnknownValues = new(StringComparer.Ordinal);

    /// <summary>Block <paramref name="blockIndex"/> of the list (offset = index * 100, limit = 100), after a permit from the caller's budget.</summary>
    /// <param name="credentials">The caller's token and workspace, forwarded as they are.</param>
    /// <param name="scope">The project and filter that identify the list.</param>
    /// <param name="blockIndex">Zero-based block number.</param>
    /// <param name="cancellationToken">Ends the wait and the call.</param>
    /// <param name="permitTaken">The caller's permit for this call was already taken (by the single-flight claim, in the same Redis round trip); the call takes none itself.</param>
    /// <exception cref="UpstreamException">Every way the call can fail: budget, HTTP status, timeout, open circuit, malformed body.</exception>
    public async Task<InstanceBlock> FetchBlockAsync(UpstreamCredentials credentials, InstanceListScope scope, int blockIndex, CancellationToken cancellationToken, bool permitTaken = false)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(scope);
        var filter = scope.Filter;
        IDisposable? permit = null;
        if (!permitTaken)
        {
            var budgetStarted = Stopwatch.GetTimestamp();
            permit = await budget.AcquireAsync(credentials, cancellationToken);
            metrics.ColdBlockStep(ColdBlockStep.Budget, Stopwatch.GetElapsedTime(budgetStarted));
        }

        using var release = permit;
        var callStarted = Stopwatch.GetTimestamp();
        IApiResponse<InstanceListResponse> response;
        try
        {
            response = await api.ListInstancesAsync(
                scope.ProjectId,
                credentials.Token,
                credentials.Workspace,
                filter.Name,
                UpstreamValues.ToUpstream(filter.TaskType),
                UpstreamValues.ToUpstream(filter.RunStatus),
                UpstreamValues.ToUpstream(filter.NotifyStatus),
                filter.StartFrom?.ToUnixTimeMilliseconds(),
                filter.StartTo?.ToUnixTimeMilliseconds(),
                InstanceBlock.Size,
                checked(blockIndex * InstanceBlock.Size),
                cancellationToken);
        }
        catch (Exception exception) when (IsTransportFailure(exception, cancellationToken))
        {
            metrics.UpstreamCall("transport_error");
            throw TransportFailure(exception, cancellationToken);
        }

        metrics.ColdBlockStep(ColdBlockStep.Upstream, Stopwatch.GetElapsedTime(callStarted));
        using (response)
        {
            if (response.HasRequestError(out var requestError))
            {
                metrics.UpstreamCall("transport_error");
                throw TransportFailure(requestError.InnerException ?? requestError, cancellationToken);
            }

            metrics.UpstreamCall(response.IsSuccessStatusCode ? "success" : "http_" + (int?)response.StatusCode);

            if (!response.IsSuccessStatusCode)
            {
                throw FromErrorResponse(response, credentials.Token);
            }

            if (response.Error is not null || response.Content is null)
            {
                throw new UpstreamException(UpstreamErrorKind.BadResponse, "The upstream answered with a body that is not a valid result list.", (int)response.StatusCode, innerException: response.Error);
            }

            return ToBlock(response.Content);
        }
    }

    private InstanceBlock ToBlock(InstanceListResponse body)
    {
        var resources = body.Resources ?? [];
        var items = new QualityTaskInstance[resources.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = ToInstance(resources[i]);
        }

        return new InstanceBlock(body.Count, time.GetUtcNow(), items);
    }

    // One odd item must not fail a whole page: an unknown or missing value is served as the
    // documented fallback and logged once. Only an item without an id cannot be served,
    // since cursors and entity lookups depend on it.
    private QualityTaskInstance ToInstance(InstanceOverviewDto dto)
    {
        var id = dto.Id ?? throw new UpstreamException(UpstreamErrorKind.BadResponse, "The upstream returned an instance without an id.");
        return new QualityTaskInstance(
            id,
            dto.Name ?? ReportUnknown("name", dto.Name, string.Empty),
            dto.TaskId ?? ReportUnknown("task_id", null, 0L),
            UpstreamValues.ParseTaskType(dto.TaskType) ?? ReportUnknown("task_type", dto.TaskType, QualityTaskType.QualityTask),
            UpstreamValues.ParseRunStatus(dto.RunStatus) ?? ReportUnknown("run_status", dto.RunStatus, QualityRunStatus.Unknown),
            UpstreamValues.ParseNotifyStatus(dto.NotifyStatus) ?? ReportUnknown("notify_status", dto.NotifyStatus, QualityNotifyStatus.NotTriggered),
            dto.StartTime is { } start ? DateTimeOffset.FromUnixTimeMilliseconds(start) : null,
            dto.EndTime is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null);
    }

    private T ReportUnknown<T>(string field, string? value, T fallback)
    {
        // Bounded, so a hostile upstream cannot grow the set (or the log) without limit.
        var shown = value is null ? "(missing)" : value.Length <= 64 ? value : value[..64] + "...";
        if (_reportedUnknownValues.Count < 1_000 && _reportedUnknownValues.TryAdd($"{field}={shown}", true))
        {
            LogUnknownValue(logger, field, shown);
        }

        return fallback;
    }

    private static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is HttpRequestException or ApiRequestException or JsonException or ExecutionRejectedException
        || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static Exception TransportFailure(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        // The caller went away: let cancellation flow as cancellation.
        OperationCanceledException when cancellationToken.IsCancellationRequested => exception,
        OperationCanceledException or TimeoutException or TimeoutRejectedException => new UpstreamException(UpstreamErrorKind.Timeout, "The upstream did not answer in time.", innerException: exception),
        BrokenCircuitException => new UpstreamException(UpstreamErrorKind.Unavailable, "The upstream keeps failing, so the gateway is not calling it for a few seconds (circuit open).", innerException: exception),
        JsonException => new UpstreamException(UpstreamErrorKind.BadResponse, "The upstream answered with a body that is not valid JSON.", innerException: exception),
        ApiRequestException { InnerException: { } inner } => TransportFailure(inner, cancellationToken),
        _ => new UpstreamException(UpstreamErrorKind.Unavailable, "The upstream could not be reached.", innerException: exception),
    };

    private UpstreamException FromErrorResponse(IApiResponse response, string token)
    {
        var status = (int?)response.StatusCode ?? 0;
        var body = ReadErrorBody(response.HasResponseError(out var error) ? error.Content : null);
        var code = body?.ErrorCode;
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => UpstreamErrorKind.Unauthorized,
            HttpStatusCode.Forbidden => UpstreamErrorKind.Forbidden,
            HttpStatusCode.TooManyRequests => UpstreamErrorKind.RateLimited,

            // Huawei's API gateway spells throttling APIGW.0308, some endpoints APIG.0308;
            // either is throttling whatever status carries it.
            _ when code is "APIGW.0308" or "APIG.0308" => UpstreamErrorKind.RateLimited,
            HttpStatusCode.RequestTimeout or HttpStatusCode.GatewayTimeout => UpstreamErrorKind.Timeout,
            _ when status is >= 400 and < 500 => UpstreamErrorKind.BadRequest,
            _ => UpstreamErrorKind.Unavailable,
        };
        var message = kind switch
        {
            UpstreamErrorKind.Unauthorized => "The upstream rejected the caller's token.",
            UpstreamErrorKind.Forbidden => "The caller's token may not read this project or workspace.",
            UpstreamErrorKind.RateLimited => "The upstream's request budget for this caller is exhausted.",
            UpstreamErrorKind.Timeout => "The upstream did not answer in time.",
            UpstreamErrorKind.BadRequest => "The upstream rejected the request: " + SafeMessage(body, token),
            _ => $"The upstream failed with HTTP {status}.",
        };
        return new UpstreamException(kind, message, status, code, RetryAfterSeconds(response));
    }

    private static UpstreamErrorBody? ReadErrorBody(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, UpstreamJsonContext.Default.UpstreamErrorBody);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // The upstream's validation messages describe query parameters the gateway built, which
    // helps the caller. They are bounded, and scrubbed of the token in case an upstream ever
    // echoes its request headers.
    private static string SafeMessage(UpstreamErrorBody? body, string token)
    {
        var text = body?.ErrorMessage;
        if (string.IsNullOrWhiteSpace(text))
        {
            return "no reason given";
        }

        text = text.Replace(token, "***", StringComparison.Ordinal);
        return text.Length <= 200 ? text : text[..200];
    }

    private int? RetryAfterSeconds(IApiResponse response)
    {
        var retryAfter = response.Headers?.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return (int)Math.Ceiling(delta.TotalSeconds);
        }

        if (retryAfter?.Date is { } date)
        {
            return Math.Max(0, (int)Math.Ceiling((date - time.GetUtcNow()).TotalSeconds));
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The upstream returned an unknown or missing {Field} ('{Value}'); it is served as its documented fallback (docs/failure-behaviour.md). Logged once per value.")]
    private static partial void LogUnknownValue(ILogger logger, string field, string value);
}
