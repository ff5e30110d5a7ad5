namespace Gateway.Redis;

/// <summary>What the gate says about Redis: once when an outage starts, once when it ends.</summary>
public sealed partial class RedisGate
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is failing ({ExceptionType}: {Reason}); serving from memory and the upstream, and coordinating replicas locally, until it is back.")]
    private static partial void LogDegraded(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back after {Downtime}; the shared cache and coordination are in use again.")]
    private static partial void LogRecovered(ILogger logger, TimeSpan downtime);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A fire-and-forget Redis command ({Operation}) could not be sent ({ExceptionType}); it takes effect by expiry instead.")]
    private static partial void LogSendFailed(ILogger logger, string operation, string exceptionType);
}
