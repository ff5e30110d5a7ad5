using System.Reflection;

namespace Gateway.GraphQL;

/// <summary>
/// The stable <c>extensions.code</c> values clients can branch on: the table docs/errors.md
/// documents, row for row (a test holds them together). GraphQL.NET's own parse and validation
/// codes are not listed; docs/errors.md names them separately.
/// </summary>
public static class ErrorCodes
{
    /// <summary>No X-Auth-Token and no <c>Authorization: Bearer</c> on a request whose fields call the upstream.</summary>
    public const string Unauthenticated = "UNAUTHENTICATED";
    /// <summary>No workspace header, no or an invalid project id, bad paging arguments, a request limit exceeded, or an <c>_entities</c> representation whose id is not a decimal 64-bit integer or whose __typename is not QualityTaskInstance.</summary>
    public const string BadUserInput = "BAD_USER_INPUT";
    /// <summary>Not a GraphQL request: malformed JSON, no <c>query</c>, or the wrong content type.</summary>
    public const string BadRequest = "BAD_REQUEST";
    /// <summary>A cursor this gateway did not issue for this query (forged, from another list, or signed with a key no longer held).</summary>
    public const string InvalidCursor = "INVALID_CURSOR";
    /// <summary>The list moved so much since the cursor's page that its item is out of reach; the client starts again from the first page.</summary>
    public const string StaleCursor = "STALE_CURSOR";
    /// <summary>The list changed on every read of the page (5 rounds), so no page could be cut from one version of it; a retry may succeed.</summary>
    public const string ListChanging = "LIST_CHANGING";
    /// <summary><c>first</c> or <c>last</c> above Paging:MaxPageSize, whatever is selected.</summary>
    public const string PageSizeExceeded = "PAGE_SIZE_EXCEEDED";
    /// <summary>Deeper than GraphQL:MaxDepth or costlier than GraphQL:MaxComplexity; the message names the limit. Also given for GraphQL.NET's own complexity error.</summary>
    public const string QueryTooComplex = "QUERY_TOO_COMPLEX";
    /// <summary><c>_entities</c>: an instance this caller has not listed through qualityTaskInstances, or that the cache no longer holds.</summary>
    public const string EntityNotFound = "ENTITY_NOT_FOUND";
    /// <summary>A mutation or subscription anywhere in the document: the schema defines queries only. An invalid document, never executed.</summary>
    public const string OperationNotSupported = "OPERATION_NOT_SUPPORTED";
    /// <summary>A method other than GET and POST, or a mutation or subscription sent with GET: HTTP 405 with <c>Allow: GET, POST</c>.</summary>
    public const string HttpMethodNotAllowed = "HTTP_METHOD_NOT_ALLOWED";
    /// <summary>The upstream answered 400; extensions upstreamErrorCode (e.g. DQC.0005) and upstreamStatus.</summary>
    public const string UpstreamBadRequest = "UPSTREAM_BAD_REQUEST";
    /// <summary>The upstream rejected the token (401, APIGW.0301); extensions upstreamErrorCode and upstreamStatus.</summary>
    public const string UpstreamUnauthorized = "UPSTREAM_UNAUTHORIZED";
    /// <summary>The token may not read the project or workspace (403); extensions upstreamErrorCode and upstreamStatus.</summary>
    public const string UpstreamForbidden = "UPSTREAM_FORBIDDEN";
    /// <summary>The caller's budget is used up (the gateway did not call), or the upstream throttled it (429, or APIGW.0308 / APIG.0308 with any status); extension retryAfterSeconds when known.</summary>
    public const string UpstreamRateLimited = "UPSTREAM_RATE_LIMITED";
    /// <summary>A 5xx, or the upstream could not be reached (including an open circuit); extensions upstreamErrorCode when present and upstreamStatus.</summary>
    public const string UpstreamUnavailable = "UPSTREAM_UNAVAILABLE";
    /// <summary>No answer within Upstream:Timeout.</summary>
    public const string UpstreamTimeout = "UPSTREAM_TIMEOUT";
    /// <summary>The upstream's body is not a valid result list.</summary>
    public const string UpstreamBadResponse = "UPSTREAM_BAD_RESPONSE";
    /// <summary>APQ: the hash is not known yet; the client sends the document with it. Answered with HTTP 200, as Apollo's servers do.</summary>
    public const string PersistedQueryNotFound = "PERSISTED_QUERY_NOT_FOUND";
    /// <summary>APQ was sent while PersistedQueries:Enabled is false.</summary>
    public const string PersistedQueryNotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";
    /// <summary>A bug: logged with its stack trace, answered with a generic message. Also the code of an error that carries none.</summary>
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
