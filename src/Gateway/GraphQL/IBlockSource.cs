using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>Where a page's blocks come from: the cache, or straight from the upstream when <c>refresh</c> is set.</summary>
public interface IBlockSource
{
    /// <summary>Block <paramref name="index"/> of the list.</summary>
    /// <param name="index">Zero-based block number (items index * 100 onwards).</param>
    /// <param name="refresh">True to skip cached copies: the block read before was stale or from another version of the list.</param>
    /// <exception cref="Upstream.UpstreamException">The upstream call failed.</exception>
    ValueTask<InstanceBlock> GetAsync(int index, bool refresh);
}

/// <summary>One caller's blocks of one list, through the block cache, as one resolution asks for them.</summary>
internal sealed class CachedBlockSource(InstanceBlockCache cache, UpstreamCredentials credentials, InstanceListScope scope, CacheRequest request, string field, CancellationToken cancellationToken) : IBlockSource
{
    private CacheRequest? _refresh;

    public ValueTask<InstanceBlock> GetAsync(int index, bool refresh)
    {
        // A refresh keeps the caller's freshness report, so it shows the re-fetched blocks too.
        var how = refresh ? _refresh ??= new CacheRequest(refresh: true, request.Report) : request;
        return cache.GetBlockAsync(credentials, credentials.CallerKey, scope, index, how, field, cancellationToken);
    }
}
