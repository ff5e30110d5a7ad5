using System.Text;
using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;

namespace Gateway.Http;

/// <summary>
/// What one request may take from and give to <see cref="ResponseCache"/>. The same caller
/// sending the same bytes within a second gets the same answer, unless it asked for fresh data
/// (served fresh, then kept) or a freshness report (never kept, never served: the report is
/// about this execution). Only a 200 that executed without errors, from data whose freshness
/// is known, is kept.
/// </summary>
public sealed class ResponseReuse
{
    private readonly ResponseCache _responses;
    private readonly ResponseKey _key;
    private readonly bool _mayServe;

    private ResponseReuse(ResponseCache responses, ResponseKey key, bool mayServe)
    {
        _responses = responses;
        _key = key;
        _mayServe = mayServe;
    }

    /// <summary>What the resolvers observed while executing; decides whether and how long the answer is kept.</summary>
    public ResponseFreshness Freshness { get; } = new();

    /// <summary>The reuse this request allows, or null when it allows none.</summary>
    public static ResponseReuse? For(ResponseCache responses, HttpRequest request, RequestBody body, GatewayUserContext credentials, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(responses);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(credentials);
        if (!responses.Enabled || request.Headers.ContainsKey(CacheDirectives.InfoHeader))
        {
            return null;
        }

        // A GET's bytes are its query string: only computed when reuse is on.
        var bytes = body.Content is null ? Encoding.UTF8.GetBytes(request.QueryString.Value ?? "") : body.Bytes;

        // Requests without credentials share the anonymous key: what they can be answered
        // (introspection, _service) is the same for everyone.
        var key = new ResponseKey(credentials.Credentials?.CallerKey ?? "", request.Method, mediaType, bytes);
        return new ResponseReuse(responses, key, mayServe: !CacheDirectives.Read(request).Refresh);
    }

    /// <summary>The kept answer for this caller and these bytes, unless the request asked for fresh data.</summary>
    /// <param name="response">The serialized answer when true; empty otherwise.</param>
    public bool TryServe(out byte[] response)
    {
        if (_mayServe)
        {
            return _responses.TryGet(_key, out response);
        }

        response = [];
        return false;
    }

    /// <summary>Keeps <paramref name="serialized"/> when it is a complete answer whose data may be reused.</summary>
    public void Offer(int status, ExecutionResult result, ReadOnlySpan<byte> serialized)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (status == StatusCodes.Status200OK && result.Executed && result.Errors is not { Count: > 0 } && Freshness.IsReusable)
        {
            _responses.Store(_key, serialized, Freshness.FreshUntil);
        }
    }
}
