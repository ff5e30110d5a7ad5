using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;

namespace Gateway.Http;

/// <summary>
/// The GraphQL-over-HTTP endpoint: GET and POST, JSON-array batches, Accept negotiation,
/// and the spec's status codes. Credentials are read here and nowhere below.
/// </summary>
public sealed class GraphQLHttpHandler(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    ResponseCache responses)
{
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        var mediaType = MediaTypes.Negotiate(request.GetTypedHeaders().Accept);
        if (mediaType is null)
        {
            await WriteAsync(http, StatusCodes.Status406NotAcceptable, MediaTypes.Json, RequestError(ErrorCodes.BadRequest, $"This endpoint answers in {MediaTypes.GraphQLResponse} or {MediaTypes.Json}; the Accept header allows neither."));
            return;
        }

        var isGet = HttpMethods.IsGet(request.Method);
        using var body = await reader.ReadBodyAsync(request, http.RequestAborted);
        if (body.Failure is { } tooLargeOrWrongType)
        {
            await WriteAsync(http, (int)tooLargeOrWrongType.PreferredStatusCode, mediaType, new ExecutionResult(tooLargeOrWrongType));
            return;
        }

        var credentials = CallerCredentialsReader.Read(request);

        var reuse = ResponseReuse.For(responses, request, body, credentials, mediaType);
        if (reuse is not null && reuse.TryServe(out var reused))
        {
            await WriteAsync(http, StatusCodes.Status200OK, mediaType, reused);
            return;
        }

        var read = await reader.ParseAsync(request, body, http.RequestAborted);
        if (read.Failure is { } failure)
        {
            await WriteAsync(http, (int)failure.PreferredStatusCode, mediaType, new ExecutionResult(failure));
            return;
        }

        if (!read.IsBatch)
        {
            var result = await ExecuteAsync(read.Requests[0], credentials, isGet, http, reuse?.Freshness);
            var status = StatusFor(result, mediaType);
            if (reuse is null)
            {
                await WriteAsync(http, status, mediaType, result);
                return;
            }

            // Serialized once into memory: the bytes are both the answer and the cached copy.
            using var serialized = new MemoryStream();
            await serializer.WriteAsync(serialized, result, http.RequestAborted);
            var bytes = serialized.GetBuffer().AsMemory(0, (int)serialized.Length);
            reuse.Offer(status, result, bytes.Span);
            await WriteAsync(http, status, mediaType, bytes);
            return;
        }

        var results = new ExecutionResult[read.Requests.Count];
        for (var i = 0; i < results.Length; i++)
        {
            results[i] = await ExecuteAsync(read.Requests[i], credentials, isGet, http, freshness: null);
        }

        await WriteAsync(http, StatusCodes.Status200OK, mediaType, results);
    }

    private async Task<ExecutionResult> ExecuteAsync(GraphQLRequest? request, GatewayUserContext credentials, bool isGet, HttpContext http, ResponseFreshness? freshness)
    {
        if (request is null)
        {
            return RequestError(ErrorCodes.BadRequest, "The request has no 'query'.");
        }

        // Each operation of a batch gets its own cache report.
        var cache = CacheDirectives.Read(http.Request);
        var userContext = cache == CacheRequest.Default && freshness is null ? credentials : credentials.With(cache, freshness);
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            // A persisted query's hash travels in Extensions; AutomaticPersistedQueries, an
            // execution step, turns it into the document (or an error) before anything parses.
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            UserContext = userContext,
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
            ValidationRules = isGet ? HttpGetQueriesOnlyRule.RulesForGet : null,

            // A document parsed and validated for a POST may come back over GET: the method
            // rule must run on cached documents too.
            CachedDocumentValidationRules = isGet ? HttpGetQueriesOnlyRule.RulesForCachedGet : null,
        });
        if (cache.Report is { } report)
        {
            (result.Extensions ??= new Dictionary<string, object?>(StringComparer.Ordinal))[CacheDirectives.ExtensionName] = report.ToExtension();
        }

        return result;
    }

    /// <summary>
    /// graphql-response+json reports a document that never executed (unparsable, invalid) as
    /// 400; application/json keeps legacy clients working with 200. A non-query over GET is
    /// 405 either way.
    /// </summary>
    private static int StatusFor(ExecutionResult result, string mediaType)
    {
        if (result.Errors?.Any(error => error.Code == HttpGetQueriesOnlyRule.Code) == true)
        {
            return StatusCodes.Status405MethodNotAllowed;
        }

        // An unknown persisted query is a step of the APQ protocol, not a broken request:
        // 200, as Apollo's servers answer it.
        if (result.Errors?.Any(error => error.Code == AutomaticPersistedQueries.NotFound) == true)
        {
            return StatusCodes.Status200OK;
        }

        return mediaType == MediaTypes.GraphQLResponse && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
    }

    private static ExecutionResult RequestError(string code, string message) => new(new GatewayError(code, message));

    private async Task WriteAsync(HttpContext http, int status, string mediaType, object result)
    {
        MethodNotAllowedEndpoint.SetStatus(http.Response, status);
        http.Response.ContentType = MediaTypes.ContentType(mediaType);
        http.Response.Headers.CacheControl = CacheDirectives.ResponseCacheControl;
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static async Task WriteAsync(HttpContext http, int status, string mediaType, ReadOnlyMemory<byte> body)
    {
        var response = http.Response;
        MethodNotAllowedEndpoint.SetStatus(response, status);
        response.ContentType = MediaTypes.ContentType(mediaType);
        response.Headers.CacheControl = CacheDirectives.ResponseCacheControl;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, http.RequestAborted);
    }

}
