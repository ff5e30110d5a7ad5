using System.Buffers;
using System.Text;
using System.Text.Json;
using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// The GraphQL-over-HTTP endpoint: GET and POST, JSON-array batches, Accept negotiation,
/// and the spec's status codes. Credentials are read here and nowhere below.
/// </summary>
public sealed class GraphQLHttpHandler(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    AutomaticPersistedQueries persistedQueries,
    ResponseCache responses,
    IOptions<GraphQLHttpOptions> options,
    IOptions<PersistedQueryOptions> persistedQueryOptions)
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
        using var body = isGet ? null : await ReadBodyAsync(request, http.RequestAborted);
        if (body is { Failure: { } tooLargeOrWrongType })
        {
            await WriteAsync(http, tooLargeOrWrongType.Status, mediaType, RequestError(tooLargeOrWrongType.Code, tooLargeOrWrongType.Message));
            return;
        }

        var credentials = CallerCredentialsReader.Read(request);

        // The same caller sending the same bytes within a second gets the same answer, unless
        // it asked for fresh data (served fresh, then kept) or a freshness report (never kept).
        var reuse = ReuseKey(request, isGet, body, credentials, mediaType);
        if (reuse is { MayServe: true } && responses.TryGet(reuse.Key, out var reused))
        {
            await WriteAsync(http, StatusCodes.Status200OK, mediaType, reused);
            return;
        }

        var read = isGet ? ReadFromQueryString(request.Query) : await ParseBodyAsync(body!.Content, http.RequestAborted);
        if (read.Error is { } failure)
        {
            await WriteAsync(http, failure.Status, mediaType, RequestError(failure.Code, failure.Message));
            return;
        }

        if (!read.IsBatch)
        {
            var freshness = reuse is null ? null : new ResponseFreshness();
            var result = await ExecuteAsync(read.Requests[0], credentials, isGet, http, freshness);
            var status = StatusFor(result, mediaType);
            if (reuse is null || freshness is null)
            {
                await WriteAsync(http, status, mediaType, result);
                return;
            }

            // Serialized once into memory: the bytes are both the answer and the cached copy.
            using var serialized = new MemoryStream();
            await serializer.WriteAsync(serialized, result, http.RequestAborted);
            var bytes = serialized.GetBuffer().AsMemory(0, (int)serialized.Length);
            if (status == StatusCodes.Status200OK && result.Executed && result.Errors is not { Count: > 0 } && freshness.IsReusable)
            {
                responses.Store(reuse.Key, bytes.Span, freshness.FreshUntil);
            }

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

    private Reuse? ReuseKey(HttpRequest request, bool isGet, RequestBody? body, GatewayUserContext credentials, string mediaType)
    {
        if (!responses.Enabled || request.Headers.ContainsKey(CacheDirectives.InfoHeader))
        {
            return null;
        }

        var bytes = isGet
            ? Encoding.UTF8.GetBytes(request.QueryString.Value ?? "")
            : body!.Content.GetBuffer().AsMemory(0, (int)body.Content.Length);

        // Requests without credentials share the anonymous key: what they can be answered
        // (introspection, _service) is the same for everyone.
        var key = new ResponseKey(credentials.Credentials?.CallerKey ?? "", request.Method, mediaType, bytes);
        return new Reuse(key, MayServe: !CacheDirectives.Read(request).Refresh);
    }

    private async Task<ExecutionResult> ExecuteAsync(GraphQLRequest? request, GatewayUserContext credentials, bool isGet, HttpContext http, ResponseFreshness? freshness)
    {
        if (request is null)
        {
            return RequestError(ErrorCodes.BadRequest, "The request has no 'query'.");
        }

        var (query, persistedQueryError) = await persistedQueries.ResolveAsync(request, persistedQueryOptions.Value.Enabled, http.RequestAborted);
        if (persistedQueryError is not null)
        {
            return new ExecutionResult(persistedQueryError);
        }

        if (string.IsNullOrWhiteSpace(query))
        {
            return RequestError(ErrorCodes.BadRequest, "The request has no 'query'.");
        }

        // Each operation of a batch gets its own cache report.
        var cache = CacheDirectives.Read(http.Request);
        var userContext = cache == CacheRequest.Default && freshness is null ? credentials : credentials.With(cache, freshness);
        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = query,
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

    private ReadResult ReadFromQueryString(IQueryCollection query)
    {
        // A persisted query over GET carries only its hash, in 'extensions'.
        var text = query["query"];
        if (text.Count > 1 || (text.Count == 0 && !query.ContainsKey("extensions")))
        {
            return ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "A GET request needs exactly one 'query' parameter (or a persisted query's 'extensions').");
        }

        try
        {
            var request = new GraphQLRequest
            {
                Query = text.Count == 1 ? text[0] : null,
                OperationName = Single(query, "operationName"),
                Variables = Single(query, "variables") is { } variables ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = Single(query, "extensions") is { } extensions ? serializer.Deserialize<Inputs>(extensions) : null,
            };
            return ReadResult.Single(request);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "'variables' and 'extensions' must be JSON objects.");
        }
    }

    private static string? Single(IQueryCollection query, string name) => query[name] is { Count: 1 } values ? values[0] : null;

    /// <summary>The raw body, read up to the size limit into a stream sized by Content-Length when it is known.</summary>
    private async Task<RequestBody> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJsonContentType(request.ContentType))
        {
            return RequestBody.Failed(new RequestFailure(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.BadRequest, "POST a JSON body with Content-Type: application/json."));
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return RequestBody.Failed(TooLarge(limit));
        }

        var body = new MemoryStream(request.ContentLength is { } length ? (int)length : 1024);

        // A pooled chunk: a fresh 16 KB array per request was a third of what a cached request allocated.
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (body.Length + read > limit)
                {
                    await body.DisposeAsync();
                    return RequestBody.Failed(TooLarge(limit));
                }

                body.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new RequestBody(body, null);
    }

    private async Task<ReadResult> ParseBodyAsync(MemoryStream body, CancellationToken cancellationToken)
    {
        var isBatch = FirstNonWhitespace(body.GetBuffer().AsSpan(0, (int)body.Length)) == (byte)'[';
        body.Position = 0;
        try
        {
            if (!isBatch)
            {
                var single = await serializer.ReadAsync<GraphQLRequest>(body, cancellationToken);
                return single is null
                    ? ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "The body must be a GraphQL request object or an array of them.")
                    : ReadResult.Single(single);
            }

            var batch = await serializer.ReadAsync<GraphQLRequest?[]>(body, cancellationToken);
            if (batch is null || batch.Length == 0)
            {
                return ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "A batch must hold at least one request.");
            }

            return batch.Length > options.Value.MaxBatchSize
                ? ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadUserInput, $"A batch may hold at most {options.Value.MaxBatchSize} requests (GraphQL:MaxBatchSize).")
                : ReadResult.Batch(batch);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            return ReadResult.Failed(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "The body is not a valid GraphQL request: it must be UTF-8 JSON with 'query' and optional 'variables', 'operationName' and 'extensions'.");
        }
    }

    private static RequestFailure TooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BadUserInput, $"The request body exceeds {limit} bytes (GraphQL:MaxRequestBodyBytes).");

    private static bool IsJsonContentType(string? contentType)
    {
        if (contentType is null || !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var parsed))
        {
            return false;
        }

        var charset = parsed.Charset.Value;
        return parsed.MediaType.Equals(MediaTypes.Json, StringComparison.OrdinalIgnoreCase)
            && (charset is null || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));
    }

    private static byte FirstNonWhitespace(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return b;
            }
        }

        return 0;
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

    private sealed record RequestFailure(int Status, string Code, string Message);

    private sealed record Reuse(ResponseKey Key, bool MayServe);

    /// <summary>A POST body as read, or why it was refused before parsing.</summary>
    private sealed record RequestBody(MemoryStream Content, RequestFailure? Failure) : IDisposable
    {
        public static RequestBody Failed(RequestFailure failure) => new(new MemoryStream(0), failure);

        public void Dispose() => Content.Dispose();
    }

    private sealed record ReadResult(IReadOnlyList<GraphQLRequest?> Requests, bool IsBatch, RequestFailure? Error)
    {
        public static ReadResult Single(GraphQLRequest request) => new([request], false, null);

        public static ReadResult Batch(GraphQLRequest?[] requests) => new(requests, true, null);

        public static ReadResult Failed(int status, string code, string message) => new([], false, new RequestFailure(status, code, message));

        public static ReadResult Failed(RequestFailure failure) => new([], false, failure);
    }
}
