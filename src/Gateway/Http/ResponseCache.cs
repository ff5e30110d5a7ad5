using Gateway.Caching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// Serialized responses, reused for the same caller sending the same request bytes within
/// Http:ResponseTtl (1 s) and never past the freshness of the blocks they were cut from. A
/// client polling or many tabs asking for the same page then cost a lookup and a copy instead
/// of an execution. Only complete answers are kept (executed, no errors); the caller key
/// (SHA-256 of token and workspace) is part of the key, so one caller's answer is never
/// another's; Cache-Control: no-cache and X-Cache-Info bypass it (<see cref="ResponseReuse"/>).
/// </summary>
public sealed class ResponseCache : IDisposable
{
    private readonly MemoryCache _entries;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;

    /// <summary>A cache bounded by Http:ResponseCacheBytes whose entries live at most Http:ResponseTtl.</summary>
    public ResponseCache(IOptions<GraphQLHttpOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ttl = options.Value.ResponseTtl;
        _time = time;
        _entries = new MemoryCache(new MemoryCacheOptions
        {
            SizeLimit = Math.Max(1, options.Value.ResponseCacheBytes),

            // Entries live about a second; expired ones should not wait long to be swept.
            ExpirationScanFrequency = TimeSpan.FromSeconds(5),
        });
    }

    /// <summary>False when Http:ResponseTtl is zero: nothing is stored or reused.</summary>
    public bool Enabled => _ttl > TimeSpan.Zero;

    /// <summary>The serialized response kept for exactly this caller and request, if it is still fresh.</summary>
    public bool TryGet(ResponseKey key, out byte[] response)
    {
        if (_entries.TryGetValue(key, out byte[]? found) && found is not null)
        {
            response = found;
            return true;
        }

        response = [];
        return false;
    }

    /// <summary>Keeps a copy of the response until the earlier of now + ResponseTtl and <paramref name="freshUntil"/>.</summary>
    public void Store(ResponseKey key, ReadOnlySpan<byte> response, DateTimeOffset? freshUntil)
    {
        ArgumentNullException.ThrowIfNull(key);
        var now = _time.GetUtcNow();
        var expires = now + _ttl;
        if (freshUntil is { } fresh && fresh < expires)
        {
            expires = fresh;
        }

        if (expires <= now)
        {
            return;
        }

        var stored = key.Detached();
        _entries.Set(stored, response.ToArray(), new MemoryCacheEntryOptions
        {
            // The cache's own clock decides; the span from now is what matters.
            AbsoluteExpirationRelativeToNow = expires - now,
            Size = response.Length + stored.Size,
        });
    }

    /// <inheritdoc />
    public void Dispose() => _entries.Dispose();
}

/// <summary>
/// Who asked (caller key), how (method, media type) and exactly what (the request's bytes: the
/// POST body or the GET query string). Lookups borrow the request buffer; stored keys own a copy.
/// </summary>
public sealed class ResponseKey : IEquatable<ResponseKey>
{
    private readonly int _hash;

    /// <summary>A key over a borrowed request buffer; <see cref="Detached"/> copies it for storing.</summary>
    public ResponseKey(string caller, string method, string mediaType, ReadOnlyMemory<byte> request)
    {
        Caller = caller;
        Method = method;
        MediaType = mediaType;
        Request = request;
        var hash = default(HashCode);
        hash.Add(caller, StringComparer.Ordinal);
        hash.Add(method, StringComparer.Ordinal);
        hash.Add(mediaType, StringComparer.Ordinal);
        hash.AddBytes(request.Span);
        _hash = hash.ToHashCode();
    }

    /// <summary>The caller's hash (UpstreamCredentials.CallerKey), never the token.</summary>
    public string Caller { get; }

    /// <summary>GET or POST.</summary>
    public string Method { get; }

    /// <summary>The response media type negotiated from Accept.</summary>
    public string MediaType { get; }

    /// <summary>The POST body or the GET query string, byte for byte.</summary>
    public ReadOnlyMemory<byte> Request { get; }

    internal int Size => Request.Length + ((Caller.Length + Method.Length + MediaType.Length) * sizeof(char)) + 64;

    /// <summary>The same key owning a copy of the request bytes, safe to keep after the request.</summary>
    public ResponseKey Detached() => new(Caller, Method, MediaType, Request.ToArray());

    /// <inheritdoc />
    public bool Equals(ResponseKey? other) =>
        other is not null
        && _hash == other._hash
        && string.Equals(Caller, other.Caller, StringComparison.Ordinal)
        && string.Equals(Method, other.Method, StringComparison.Ordinal)
        && string.Equals(MediaType, other.MediaType, StringComparison.Ordinal)
        && Request.Span.SequenceEqual(other.Request.Span);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ResponseKey);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;
}
