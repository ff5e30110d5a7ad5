using System.Net;
using GraphQL;

namespace Gateway.Http;

/// <summary>
/// A request refused before any GraphQL ran (not JSON, too large, malformed, nothing acceptable to
/// answer in): its status is the same under either media type, so it says so itself.
/// </summary>
public sealed class RequestRefusedError : ExecutionError, IHasPreferredStatusCode
{
    /// <summary>A refusal with its status and code.</summary>
    /// <param name="status">The HTTP status of the answer, e.g. 400, 405, 406, 413 or 415.</param>
    /// <param name="code">The GraphQL error code, e.g. BAD_REQUEST.</param>
    /// <param name="message">Says what is wrong, never echoing the request.</param>
    public RequestRefusedError(HttpStatusCode status, string code, string message)
        : base(message)
    {
        PreferredStatusCode = status;
        Code = code;
    }

    /// <inheritdoc />
    public HttpStatusCode PreferredStatusCode { get; }
}
