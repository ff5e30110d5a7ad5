using System.Net;
using GraphQL;

namespace Gateway.Http;

/// <summary>
/// A request refused before any GraphQL ran (not JSON, too large, malformed, nothing acceptable to
/// answer in): its status is the same under either media type, so it says so itself.
/// </summary>
public sealed class RequestRefusedError : ExecutionError, IHasPreferredStatusCode
{
    public RequestRefusedError(HttpStatusCode status, string code, string message)
        : base(message)
    {
        PreferredStatusCode = status;
        Code = code;
    }

    public HttpStatusCode PreferredStatusCode { get; }
}
