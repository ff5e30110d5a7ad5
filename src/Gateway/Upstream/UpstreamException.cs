namespace Gateway.Upstream;

/// <summary>How an upstream call failed, in the terms a caller can act on.</summary>
public enum UpstreamErrorKind
{
    /// <summary>The upstream answered 400 (UPSTREAM_BAD_REQUEST).</summary>
    BadRequest,
    /// <summary>The upstream rejected the token, 401 or APIGW.0301 (UPSTREAM_UNAUTHORIZED).</summary>
    Unauthorized,
    /// <summary>The token may not read the project or workspace, 403 (UPSTREAM_FORBIDDEN).</summary>
    Forbidden,
    /// <summary>The caller's budget is used up, or the upstream throttled it (429, APIGW.0308 / APIG.0308) (UPSTREAM_RATE_LIMITED).</summary>
    RateLimited,
    /// <summary>A 5xx, an open circuit, or the upstream could not be reached (UPSTREAM_UNAVAILABLE); retrying later may succeed.</summary>
    Unavailable,
    /// <summary>No answer within Upstream:Timeout for an attempt or Upstream:Deadline for all of them (UPSTREAM_TIMEOUT).</summary>
    Timeout,
    /// <summary>The upstream's body is not a valid result list: not JSON, or a run without an id (UPSTREAM_BAD_RESPONSE).</summary>
    BadResponse,
}

/// <summary>
/// A typed upstream failure. The message is written by the gateway, never copied from a
/// header or echoed request, so it cannot carry the caller's token.
/// </summary>
public sealed class UpstreamException : Exception
{
    /// <summary>A failure of the given kind, with what the upstream's answer said about it.</summary>
    /// <param name="kind">How the call failed; decides the GraphQL error code.</param>
    /// <param name="message">The gateway's own wording, shown to the caller; never text taken from the request or the upstream.</param>
    /// <param name="statusCode">The upstream's HTTP status, when it answered at all.</param>
    /// <param name="upstreamErrorCode">The upstream's <c>error_code</c>, e.g. "DQC.0005", when its body had one.</param>
    /// <param name="retryAfterSeconds">Whole seconds to wait before retrying, when known (Retry-After or the budget's window).</param>
    /// <param name="innerException">The HTTP, Polly or JSON exception behind it, for the server log only.</param>
    public UpstreamException(UpstreamErrorKind kind, string message, int? statusCode = null, string? upstreamErrorCode = null, int? retryAfterSeconds = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        UpstreamErrorCode = upstreamErrorCode;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>An unspecified upstream failure, counted as <see cref="UpstreamErrorKind.Unavailable"/>.</summary>
    public UpstreamException()
        : this(UpstreamErrorKind.Unavailable, "The upstream failed.")
    {
    }

    /// <summary>An upstream failure counted as <see cref="UpstreamErrorKind.Unavailable"/>, with the gateway's own message.</summary>
    /// <param name="message">The gateway's own wording, shown to the caller.</param>
    public UpstreamException(string message)
        : this(UpstreamErrorKind.Unavailable, message)
    {
    }

    /// <summary>An upstream failure counted as <see cref="UpstreamErrorKind.Unavailable"/>, caused by <paramref name="innerException"/>.</summary>
    /// <param name="message">The gateway's own wording, shown to the caller.</param>
    /// <param name="innerException">The cause, for the server log only.</param>
    public UpstreamException(string message, Exception innerException)
        : this(UpstreamErrorKind.Unavailable, message, innerException: innerException)
    {
    }

    /// <summary>How the call failed, in terms the caller can act on; mapped to an <c>UPSTREAM_*</c> error code.</summary>
    public UpstreamErrorKind Kind { get; }

    /// <summary>The upstream's HTTP status (forwarded as the upstreamStatus extension), or null when it never answered (timeout, connection failure, budget).</summary>
    public int? StatusCode { get; }

    /// <summary>The upstream's own code, e.g. "DQC.0001" or "APIGW.0308", when its body had one.</summary>
    public string? UpstreamErrorCode { get; }

    /// <summary>Whole seconds to wait before retrying: the upstream's Retry-After or the budget's estimate; forwarded as the retryAfterSeconds extension. Null when unknown.</summary>
    public int? RetryAfterSeconds { get; }
}
