using System.Buffers;
using System.Net;
using System.Text.Json;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// Turns an HTTP request into GraphQL requests: the query string of a GET, the JSON body of a
/// POST (one request or a batch). It reads in two steps so the endpoint can answer a reused
/// response from the raw bytes before anything is parsed.
/// </summary>
public sealed class GraphQLRequestReader(IGraphQLTextSerializer serializer, IOptions<GraphQLHttpOptions> options)
{
    // A pooled chunk: a fresh 16 KB array per request was a third of what a cached request allocated.
    private const int ChunkBytes = 16 * 1024;

    /// <summary>A POST's raw body, read up to Http:MaxRequestBodyBytes; a GET has none.</summary>
    public async Task<RequestBody> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (HttpMethods.IsGet(request.Method))
        {
            return RequestBody.None;
        }

        if (!IsJsonContentType(request.ContentType))
        {
            return RequestBody.Failed(new RequestRefusedError(HttpStatusCode.UnsupportedMediaType, ErrorCodes.BadRequest, "POST a JSON body with Content-Type: application/json."));
        }

        var limit = options.Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return RequestBody.Failed(TooLarge(limit));
        }

        // Sized by Content-Length when it is known, so the stream never grows while reading.
        var body = new MemoryStream(request.ContentLength is { } length ? (int)length : 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
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

    /// <summary>The GraphQL requests in the query string (GET) or in <paramref name="body"/> (POST).</summary>
    public async Task<GraphQLRequests> ParseAsync(HttpRequest request, RequestBody body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        return body.Content is { } content ? await ParseBodyAsync(content, cancellationToken) : ParseQueryString(request.Query);
    }

    private GraphQLRequests ParseQueryString(IQueryCollection query)
    {
        // A persisted query over GET carries only its hash, in 'extensions'.
        var text = query["query"];
        if (text.Count > 1 || (text.Count == 0 && !query.ContainsKey("extensions")))
        {
            return GraphQLRequests.Failed(ErrorCodes.BadRequest, "A GET request needs exactly one 'query' parameter (or a persisted query's 'extensions').");
        }

        try
        {
            return GraphQLRequests.Single(new GraphQLRequest
            {
                Query = text.Count == 1 ? text[0] : null,
                OperationName = Single(query, "operationName"),
                Variables = Single(query, "variables") is { } variables ? serializer.Deserialize<Inputs>(variables) : null,
                Extensions = Single(query, "extensions") is { } extensions ? serializer.Deserialize<Inputs>(extensions) : null,
            });
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException)
        {
            return GraphQLRequests.Failed(ErrorCodes.BadRequest, "'variables' and 'extensions' must be JSON objects.");
        }
    }

    private static string? Single(IQueryCollection query, string name) => query[name] is { Count: 1 } values ? values[0] : null;

    private async Task<GraphQLRequests> ParseBodyAsync(MemoryStream body, CancellationToken cancellationToken)
    {
        var isBatch = FirstNonWhitespace(body.GetBuffer().AsSpan(0, (int)body.Length)) == (byte)'[';
        body.Position = 0;
        try
        {
            if (!isBatch)
            {
                var single = await serializer.ReadAsync<GraphQLRequest>(body, cancellationToken);
                return single is null
                    ? GraphQLRequests.Failed(ErrorCodes.BadRequest, "The body must be a GraphQL request object or an array of them.")
                    : GraphQLRequests.Single(single);
            }

            var batch = await serializer.ReadAsync<GraphQLRequest?[]>(body, cancellationToken);
            if (batch is null || batch.Length == 0)
            {
                return GraphQLRequests.Failed(ErrorCodes.BadRequest, "A batch must hold at least one request.");
            }

            var max = options.Value.MaxBatchSize;
            return batch.Length > max
                ? GraphQLRequests.Failed(ErrorCodes.BadUserInput, $"A batch may hold at most {max} requests (Http:MaxBatchSize).")
                : new GraphQLRequests(batch, IsBatch: true, Failure: null);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            return GraphQLRequests.Failed(ErrorCodes.BadRequest, "The body is not a valid GraphQL request: it must be UTF-8 JSON with 'query' and optional 'variables', 'operationName' and 'extensions'.");
        }
    }

    private static RequestRefusedError TooLarge(int limit) =>
        new(HttpStatusCode.RequestEntityTooLarge, ErrorCodes.BadUserInput, $"The request body exceeds {limit} bytes (Http:MaxRequestBodyBytes).");

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
}

/// <summary>A POST body as read (<see cref="Content"/>), none for a GET, or why it was refused before parsing.</summary>
public sealed class RequestBody(MemoryStream? content, RequestRefusedError? failure) : IDisposable
{
    /// <summary>No body: a GET, whose request is in the query string.</summary>
    public static RequestBody None { get; } = new(null, null);

    /// <summary>The POST body as read, or null for a GET or a refused body; disposed with this.</summary>
    public MemoryStream? Content { get; } = content;

    /// <summary>Why the body was refused before parsing (e.g. 415 for a wrong Content-Type, 413 for a body over the size limit), or null.</summary>
    public RequestRefusedError? Failure { get; } = failure;

    /// <summary>The bytes read; they are also what a reused response is keyed by.</summary>
    public ReadOnlyMemory<byte> Bytes => Content is { } content ? content.GetBuffer().AsMemory(0, (int)content.Length) : default;

    /// <summary>A body refused before parsing, for <paramref name="failure"/>.</summary>
    public static RequestBody Failed(RequestRefusedError failure) => new(null, failure);

    /// <inheritdoc />
    public void Dispose() => Content?.Dispose();
}

/// <summary>The requests read (one, or a batch, where an entry may be null), or why there are none.</summary>
public sealed record GraphQLRequests(IReadOnlyList<GraphQLRequest?> Requests, bool IsBatch, RequestRefusedError? Failure)
{
    /// <summary>One request that is not a batch (a GET, or a POST of one JSON object).</summary>
    public static GraphQLRequests Single(GraphQLRequest request) => new([request], IsBatch: false, Failure: null);

    // Every parse failure is a 400 under either media type.
    /// <summary>No request: the body or query string did not parse; answered 400 under either media type.</summary>
    /// <param name="code">The error code, e.g. BAD_REQUEST.</param>
    /// <param name="message">Says what is wrong, never echoing the body.</param>
    public static GraphQLRequests Failed(string code, string message) => new([], IsBatch: false, new RequestRefusedError(HttpStatusCode.BadRequest, code, message));
}
