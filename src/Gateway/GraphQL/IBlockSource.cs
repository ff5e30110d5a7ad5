using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>Where a page's blocks come from: the cache, or straight from the upstream when <c>refresh</c> is set.</summary>
public interface IBlockSource
{
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
