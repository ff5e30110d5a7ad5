using System.Net;
using Gateway.GraphQL;
using GraphQL;

namespace Gateway.Http;

/// <summary>
/// Every method but GET and POST on the GraphQL path: 405 with the <c>Allow</c> header HTTP
/// requires, and a GraphQL error body with a code, since clients read every answer of this
/// path as GraphQL. Routing's own 405 had neither.
/// </summary>
public static class MethodNotAllowedEndpoint
{
    /// <summary>The Allow header of every 405 from the GraphQL path: the only methods it answers.</summary>
    public const string Allow = "GET, POST";

    /// <summary>Answers the request with 405, <see cref="Allow"/> and an HTTP_METHOD_NOT_ALLOWED error in the body.</summary>
    /// <param name="http">The request with the wrong method.</param>
    /// <param name="serializer">Writes the GraphQL error body.</param>
    public static async Task HandleAsync(HttpContext http, IGraphQLTextSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serializer);
        var response = http.Response;
        var error = new RequestRefusedError(HttpStatusCode.MethodNotAllowed, ErrorCodes.HttpMethodNotAllowed, $"This endpoint answers GET and POST only (Allow: {Allow}).");
        SetStatus(response, (int)error.PreferredStatusCode);

        // The method is what is wrong, so an Accept that allows neither media type still gets
        // this answer, in plain JSON, rather than a 406 about something else.
        response.ContentType = MediaTypes.ContentType(MediaTypes.Negotiate(http.Request.GetTypedHeaders().Accept) ?? MediaTypes.Json);
        await serializer.WriteAsync(response.Body, new ExecutionResult(error), http.RequestAborted);
    }

    /// <summary>Sets the status; a 405 (here, or a mutation sent with GET) names the methods that are allowed, as HTTP requires.</summary>
    public static void SetStatus(HttpResponse response, int status)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        if (status == StatusCodes.Status405MethodNotAllowed)
        {
            response.Headers.Allow = Allow;
        }
    }
}
