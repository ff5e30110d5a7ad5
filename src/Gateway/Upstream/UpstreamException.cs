namespace Gateway.Upstream;

/// <summary>How an upstream call failed, in the terms a caller can act on.</summary>
public enum UpstreamErrorKind
{
    BadRequest,
    Unauthorized,
    Forbidden,
    RateLimited,
    Unavailable,
    Timeout,
    BadResponse,
}

/// <summary>
/// A typed upstream failure. The message is written by the gateway, never copied from a
/// header or echoed request, so it cannot carry the caller's token.
/// </summary>
public sealed class UpstreamException : Exception
{
    public UpstreamException(UpstreamErrorKind kind, string message, int? statusCode = null, string? upstreamErrorCode = null, int? retryAfterSeconds = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        UpstreamErrorCode = upstreamErrorCode;
        RetryAfterSeconds = retryAfterSeconds;
    }

    public UpstreamException()
        : this(UpstreamErrorKind.Unavailable, "The upstream failed.")
    {
    }

    public UpstreamException(string message)
        : this(UpstreamErrorKind.Unavailable, message)
    {
    }

    public UpstreamException(string message, Exception innerException)
        : this(UpstreamErrorKind.Unavailable, message, innerException: innerException)
    {
    }

    public UpstreamErrorKind Kind { get; }

    public int? StatusCode { get; }

    /// <summary>The upstream's own code, e.g. "DQC.0001" or "APIGW.0308", when its body had one.</summary>
    public string? UpstreamErrorCode { get; }

    public int? RetryAfterSeconds { get; }
}
