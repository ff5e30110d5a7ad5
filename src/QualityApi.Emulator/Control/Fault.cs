namespace QualityApi.Emulator;

/// <summary>What an injected fault does to a list call.</summary>
public enum FaultKind
{
    /// <summary>500 with {"error_code":"DQC.0500",...}.</summary>
    ServerError500,

    /// <summary>503 with a plain-text body, like a load balancer in front of a dead service.</summary>
    ServiceUnavailable503,

    /// <summary>429 APIGW.0308 (or <see cref="Fault.ErrorCode"/>), with Retry-After when <see cref="Fault.RetryAfterSeconds"/> is set.</summary>
    TooManyRequests429,

    /// <summary>Waits <see cref="Fault.DelayMilliseconds"/>, then answers normally (client timeouts).</summary>
    Slow,

    /// <summary>200, application/json, a body that is not JSON at all.</summary>
    MalformedJson,

    /// <summary>The normal response with only the first half of its body (Content-Length matches the half).</summary>
    TruncatedJson,

    /// <summary>Aborts the connection without a response.</summary>
    CloseConnection,

    /// <summary>
    /// The normal page, but its first items carry values the documentation does not list: run_status
    /// "PAUSED", task_type "NEW_KIND", no notify_status, no name (an upstream that changed).
    /// </summary>
    UnexpectedValues,
}

/// <summary>
/// A fault for the next list calls. Each call consumes one of <paramref name="Times"/>;
/// <paramref name="Times"/> &lt;= 0 keeps it at the head of the queue until cleared.
/// <paramref name="DelayMilliseconds"/> is waited before any kind acts, so "a 500 after 2 s" works too.
/// </summary>
/// <paramref name="ErrorCode"/> replaces the error code of a 429 (APIGW.0308 by default; APIG.0308 as some endpoints answer).
public sealed record Fault(FaultKind Kind, int Times = 1, int DelayMilliseconds = 0, int? RetryAfterSeconds = null, string? ErrorCode = null);
