using Gateway.Caching;
using Microsoft.Net.Http.Headers;

namespace Gateway.Http;

/// <summary>
/// The request headers that steer the cache: <c>Cache-Control: no-cache</c> refreshes from the
/// upstream, and <c>X-Cache-Info</c> (any value) asks for <c>extensions.cache</c> in the response.
/// </summary>
public static class CacheDirectives
{
    /// <summary>The request header (any value) that asks for <c>extensions.cache</c>; such a response is never reused.</summary>
    public const string InfoHeader = "X-Cache-Info";
    /// <summary>The key of the freshness report under the response's <c>extensions</c>.</summary>
    public const string ExtensionName = "cache";

    /// <summary>
    /// What every GraphQL response says to HTTP caches. The caller's token travels in
    /// X-Auth-Token, which shared caches do not treat as a credential, and with persisted
    /// queries a page is a plain GET: without this a CDN or proxy could hand one caller's page
    /// to the next. no-store rather than no-cache: the gateway has no validators to revalidate
    /// with, and it reuses answers itself (per caller) where that is safe.
    /// </summary>
    public const string ResponseCacheControl = "private, no-store";

    /// <summary>What the request's headers ask of the cache; <see cref="CacheRequest.Default"/> (no allocation) when they ask nothing.</summary>
    public static CacheRequest Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refresh = CacheControlHeaderValue.TryParse(request.Headers.CacheControl.ToString(), out var cacheControl) && cacheControl.NoCache;
        var report = request.Headers.ContainsKey(InfoHeader);
        return refresh || report ? new CacheRequest(refresh, report ? new CacheReport() : null) : CacheRequest.Default;
    }
}
