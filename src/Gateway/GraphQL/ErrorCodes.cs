using System.Reflection;

namespace Gateway.GraphQL;

/// <summary>
/// The stable <c>extensions.code</c> values clients can branch on: the table docs/errors.md
/// documents, row for row (a test holds them together). GraphQL.NET's own parse and validation
/// codes are not listed; docs/errors.md names them separately.
/// </summary>
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
    public const string SubscriptionLimitExceeded = "SUBSCRIPTION_LIMIT_EXCEEDED";
    public const string SubscriberTooSlow = "SUBSCRIBER_TOO_SLOW";
    public const string StreamingTransportRequired = "STREAMING_TRANSPORT_REQUIRED";
    public const string InternalServerError = "INTERNAL_SERVER_ERROR";

    /// <summary>GraphQL.NET's own code for GraphQL:ExecutionTimeout; listed since clients get it as one of ours.</summary>
    public const string Timeout = "TIMEOUT";

    /// <summary>
    /// Every code above. Read from the constants themselves, so a code added here cannot be
    /// missing from the list (nor, through the test, from the README).
    /// </summary>
    public static IReadOnlyList<string> All { get; } = [.. typeof(ErrorCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)];
}
