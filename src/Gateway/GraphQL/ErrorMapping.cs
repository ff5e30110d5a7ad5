using Gateway.Paging;
using Gateway.Upstream;
using GraphQL;

namespace Gateway.GraphQL;

/// <summary>One place that turns the gateway's typed failures into GraphQL errors.</summary>
public static class ErrorMapping
{
    /// <summary>The GraphQL error for a known failure, or null when the exception is a bug.</summary>
    public static ExecutionError? ToGraphQLError(Exception exception) => exception switch
    {
        GatewayError error => error,
        PagingException paging => new GatewayError(
            paging.Error switch
            {
                PagingError.PageSizeExceeded => ErrorCodes.PageSizeExceeded,
                PagingError.InvalidCursor => ErrorCodes.InvalidCursor,
                _ => ErrorCodes.BadUserInput,
            },
            paging.Message),
        UpstreamException upstream => FromUpstream(upstream),

        // The parser's own nesting guard fires before validation ever sees the document.
        GraphQLParser.Exceptions.GraphQLMaxDepthExceededException => new GatewayError(ErrorCodes.QueryTooComplex, "The document is nested deeper than the parser allows (64 levels); the depth limit is GraphQL:MaxDepth."),
        _ => null,
    };

    private static GatewayError FromUpstream(UpstreamException exception)
    {
        var code = exception.Kind switch
        {
            UpstreamErrorKind.BadRequest => ErrorCodes.UpstreamBadRequest,
            UpstreamErrorKind.Unauthorized => ErrorCodes.UpstreamUnauthorized,
            UpstreamErrorKind.Forbidden => ErrorCodes.UpstreamForbidden,
            UpstreamErrorKind.RateLimited => ErrorCodes.UpstreamRateLimited,
            UpstreamErrorKind.Timeout => ErrorCodes.UpstreamTimeout,
            UpstreamErrorKind.BadResponse => ErrorCodes.UpstreamBadResponse,
            _ => ErrorCodes.UpstreamUnavailable,
        };
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (exception.UpstreamErrorCode is { } upstreamCode)
        {
            extensions["upstreamErrorCode"] = upstreamCode;
        }

        if (exception.StatusCode is { } status)
        {
            extensions["upstreamStatus"] = status;
        }

        if (exception.RetryAfterSeconds is { } retryAfter)
        {
            extensions["retryAfterSeconds"] = retryAfter;
        }

        return new GatewayError(code, exception.Message, extensions.Count == 0 ? null : extensions);
    }
}
