namespace Gateway.GraphQL;

/// <summary>The stable <c>extensions.code</c> values clients can branch on (see README, "Errors").</summary>
public static class ErrorCodes
{
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string BadUserInput = "BAD_USER_INPUT";
    public const string BadRequest = "BAD_REQUEST";
    public const string InvalidCursor = "INVALID_CURSOR";
    public const string StaleCursor = "STALE_CURSOR";
    public const string ListChanging = "LIST_CHANGING";
    public const string PageSizeExceeded = "PAGE_SIZE_EXCEEDED";
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";
    public const string EntityNotFound = "ENTITY_NOT_FOUND";
    public const string OperationNotSupported = "OPERATION_NOT_SUPPORTED";
    public const string HttpMethodNotAllowed = "HTTP_METHOD_NOT_ALLOWED";
    public const string UpstreamBadRequest = "UPSTREAM_BAD_REQUEST";
    public const string UpstreamUnauthorized = "UPSTREAM_UNAUTHORIZED";
    public const string UpstreamForbidden = "UPSTREAM_FORBIDDEN";
    public const string UpstreamRateLimited = "UPSTREAM_RATE_LIMITED";
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";
    public const string UpstreamTimeout = "UPSTREAM_TIMEOUT";
    public const string UpstreamBadResponse = "UPSTREAM_BAD_RESPONSE";
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";
}
