using System.Net;
using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;

namespace Gateway.Http;

/// <summary>
/// The GraphQL-over-HTTP endpoint: GET and POST, JSON-array batches, Accept negotiation,
/// and the spec's status codes. Credentials are read here and nowhere below. Each concern
/// lives in its own type: reading in <see cref="GraphQLRequestReader"/>, reuse in
/// <see cref="ResponseReuse"/>, persisted queries in the execution step
/// <see cref="AutomaticPersistedQueries"/>, the status in <see cref="ResultStatus"/>.
/// </summary>
public sealed class GraphQLHttpHandler(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    ResponseCache responses)
{
    /// <summary>Negotiate, read, reuse if allowed, execute each request, write.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        if (MediaTypes.Negotiate(request.GetTypedHeaders().Accept) is not { } mediaType)
        {
            // Said in plain JSON, the one thing a GraphQL client can read whatever it asked for.
            await WriteAsync(http, MediaTypes.Json, new ExecutionResult(NotAcceptable()));
            return;
        }

        using var body = await reader.ReadBodyAsync(request, http.RequestAborted);
        if (body.Failure is { } tooLargeOrWrongType)
        {
            await WriteAsync(http, mediaType, new ExecutionResult(tooLargeOrWrongType));
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
        if (read.Failure is { } malformed)
        {
            await WriteAsync(http, mediaType, new ExecutionResult(malformed));
            return;
        }

        if (read.IsBatch)
        {
            // Each entry reports its own errors, so a batch is 200; batches are never reused.
            var results = new ExecutionResult[read.Requests.Count];
            for (var i = 0; i < results.Length; i++)
            {
                results[i] = await ExecuteAsync(read.Requests[i], credentials, http, freshness: null);
            }

            await WriteAsync(http, StatusCodes.Status200OK, mediaType, results);
            return;
        }

        var result = await ExecuteAsync(read.Requests[0], credentials, http, reuse?.Freshness);
        await WriteAsync(http, mediaType, result, reuse);
    }

    private static RequestRefusedError NotAcceptable() => new(
        HttpStatusCode.NotAcceptable,
        ErrorCodes.BadRequest,
        $"This endpoint answers in {MediaTypes.GraphQLResponse} or {MediaTypes.Json}; the Accept header allows neither.");

    private async Task<ExecutionResult> ExecuteAsync(GraphQLRequest? request, GatewayUserContext credentials, HttpContext http, ResponseFreshness? freshness)
    {
        // A batch entry may be null; a single request never is.
        if (request is null)
        {
            return new ExecutionResult(new GatewayError(ErrorCodes.BadRequest, "The request has no 'query'."));
        }

        var isGet = HttpMethods.IsGet(http.Request.Method);

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
            ValidationRules = isGet ? HttpGetQueriesOnlyRule.RulesForGet : PlainHttpSubscriptionRule.RulesForPost,

            // A document parsed and validated for a POST may come back over GET: the method
            // rule must run on cached documents too.
            CachedDocumentValidationRules = isGet ? HttpGetQueriesOnlyRule.RulesForCachedGet : PlainHttpSubscriptionRule.RulesForCachedPost,
        });
        if (cache.Report is { } report)
        {
            (result.Extensions ??= new Dictionary<string, object?>(StringComparer.Ordinal))[CacheDirectives.ExtensionName] = report.ToExtension();
        }

        return result;
    }

    /// <summary>One answer, with the status its errors and the media type give it; kept for reuse when the rule allows.</summary>
    private async Task WriteAsync(HttpContext http, string mediaType, ExecutionResult result, ResponseReuse? reuse = null)
    {
        var status = ResultStatus.For(result, mediaType);
        if (reuse is null)
        {
            await WriteAsync(http, status, mediaType, (object)result);
            return;
        }

        // Serialized once into memory: the bytes are both the answer and the cached copy.
        using var serialized = new MemoryStream();
        await serializer.WriteAsync(serialized, result, http.RequestAborted);
        var bytes = serialized.GetBuffer().AsMemory(0, (int)serialized.Length);
        reuse.Offer(status, result, bytes.Span);
        await WriteAsync(http, status, mediaType, bytes);
    }

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
