using Gateway.Caching;
using Microsoft.Net.Http.Headers;

namespace Gateway.Http;

/// <summary>
/// The request headers that steer the cache: <c>Cache-Control: no-cache</c> refreshes from the
/// upstream, and <c>X-Cache-Info</c> (any value) asks for <c>extensions.cache</c> in the response.
/// </summary>
public static class CacheDirectives
{
    public const string InfoHeader = "X-Cache-Info";
    public const string ExtensionName = "cache";

    public static CacheRequest Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var refresh = CacheControlHeaderValue.TryParse(request.Headers.CacheControl.ToString(), out var cacheControl) && cacheControl.NoCache;
        var report = request.Headers.ContainsKey(InfoHeader);
        return refresh || report ? new CacheRequest(refresh, report ? new CacheReport() : null) : CacheRequest.Default;
    }
}
