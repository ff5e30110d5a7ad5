namespace Gateway.Redis;

/// <summary>
/// How the gate keeps score of Redis: which commands it lets through (none while the connection
/// is down or the backoff says so), what each success and failure means for the backoff, the
/// failure metric, and the log line once when an outage starts and once when it ends.
/// </summary>
public sealed partial class RedisGate
{
    private static string Name(RedisTraffic traffic) => traffic == RedisTraffic.Cache ? "cache" : "coordination";

    private TimeSpan Timeout(RedisTraffic traffic) => traffic == RedisTraffic.Cache ? _options.OperationTimeout : _options.CoordinationTimeout;

    private RedisAdmission Admit(RedisTraffic traffic, string operation)
    {
        if (_connection is null)
        {
            return RedisAdmission.Skip;
        }

        var admission = RedisAdmission.Skip;
        if (!_connection.IsConnected)
        {
            if (_backoff.OnDisconnected())
            {
                LogDegraded(_logger, "Disconnected", "the connection to Redis is down");
            }
        }
        else
        {
            admission = _backoff.Admit();
        }

        if (admission == RedisAdmission.Skip)
        {
            _metrics.RedisFailure(Name(traffic), operation);
        }

        return admission;
    }

    private void OnSuccess()
    {
        if (_backoff.OnSuccess() is { } since)
        {
            LogRecovered(_logger, _time.GetUtcNow() - since);
        }
    }

    private void OnFailure(RedisTraffic traffic, string operation, RedisAdmission admission, Exception exception)
    {
        _metrics.RedisFailure(Name(traffic), operation);

        // One warning when Redis goes away, not one per request while it stays away.
        if (_backoff.OnFailure(admission))
        {
            LogDegraded(_logger, exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is failing ({ExceptionType}: {Reason}); serving from memory and the upstream, and coordinating replicas locally, until it is back.")]
    private static partial void LogDegraded(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back after {Downtime}; the shared cache and coordination are in use again.")]
    private static partial void LogRecovered(ILogger logger, TimeSpan downtime);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A fire-and-forget Redis command ({Operation}) could not be sent ({ExceptionType}); it takes effect by expiry instead.")]
    private static partial void LogSendFailed(ILogger logger, string operation, string exceptionType);
}
