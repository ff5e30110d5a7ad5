using System.Net;

namespace Gateway.Http;

/// <summary>
/// An error that decides the HTTP status of a single (non-batch) answer, as graphql-dotnet/server
/// shapes it: the status for a code then lives with the error type that carries the code, and
/// the endpoint never compares code strings. Errors without it get the media type's default.
/// </summary>
public interface IHasPreferredStatusCode
{
    /// <summary>The status of a single answer that carries this error, under either media type.</summary>
    HttpStatusCode PreferredStatusCode { get; }
}
