using GraphQL;

namespace Gateway.GraphQL;

/// <summary>A GraphQL error with a stable code and, optionally, machine-readable extensions beside it.</summary>
public sealed class GatewayError : ExecutionError
{
    /// <summary>An error clients can branch on.</summary>
    /// <param name="code">One of <see cref="ErrorCodes"/>, written to <c>extensions.code</c>.</param>
    /// <param name="message">The gateway's own wording; never a token, a stack trace or text echoed from the upstream.</param>
    /// <param name="extensions">Written beside the code, e.g. upstreamErrorCode, upstreamStatus, retryAfterSeconds; null for none.</param>
    public GatewayError(string code, string message, IReadOnlyDictionary<string, object?>? extensions = null)
        : base(message)
    {
        Code = code;
        ExtraExtensions = extensions;
    }

    /// <summary>An INTERNAL_SERVER_ERROR with <paramref name="message"/>.</summary>
    /// <param name="message">The gateway's own wording, shown to the caller.</param>
    public GatewayError(string message)
        : this(ErrorCodes.InternalServerError, message)
    {
    }

    /// <summary>An INTERNAL_SERVER_ERROR caused by <paramref name="innerException"/>, which stays in the server log.</summary>
    /// <param name="message">The gateway's own wording, shown to the caller.</param>
    /// <param name="innerException">The cause; never shown to the caller.</param>
    public GatewayError(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = ErrorCodes.InternalServerError;
    }

    /// <summary>An INTERNAL_SERVER_ERROR with the generic message.</summary>
    public GatewayError()
        : this(ErrorCodes.InternalServerError, "Internal server error.")
    {
    }

    /// <summary>Extensions written beside <c>code</c> by <see cref="GatewayErrorInfoProvider"/>, or null.</summary>
    public IReadOnlyDictionary<string, object?>? ExtraExtensions { get; }
}
