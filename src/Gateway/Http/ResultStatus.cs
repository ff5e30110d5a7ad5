using System.Net;
using GraphQL;

namespace Gateway.Http;

/// <summary>The HTTP status of a single (non-batch) answer.</summary>
public static class ResultStatus
{
    /// <summary>
    /// An error that prefers a status decides it (a non-query over GET is 405, an unknown
    /// persisted query 200, a refused request its own); with several, the highest. Otherwise
    /// graphql-response+json reports a document that never executed (unparsable, invalid) as
    /// 400, and application/json keeps legacy clients working with 200.
    /// </summary>
    public static int For(ExecutionResult result, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(result);
        HttpStatusCode? preferred = null;
        foreach (var error in result.Errors ?? [])
        {
            if (error is IHasPreferredStatusCode { PreferredStatusCode: var status } && (preferred is null || status > preferred))
            {
                preferred = status;
            }
        }

        if (preferred is { } decided)
        {
            return (int)decided;
        }

        return mediaType == MediaTypes.GraphQLResponse && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
    }
}
