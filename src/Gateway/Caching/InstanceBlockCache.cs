using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>
/// Serves upstream blocks through HybridCache: concurrent requests for the same cold block
/// share one upstream call, failures are never cached, and entries are private to one caller.
/// </summary>
public sealed class InstanceBlockCache(HybridCache cache, QualityInstancesClient client, IOptions<CacheOptions> options)
{
    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = options.Value.Ttl,
        LocalCacheExpiration = options.Value.Ttl,
    };

    public ValueTask<InstanceBlock> GetBlockAsync(UpstreamCredentials credentials, string callerScope, InstanceListScope scope, int blockIndex, CancellationToken cancellationToken)
    {
        var key = CacheKeys.Block(callerScope, scope, QualityInstancesClient.BlockSize, blockIndex);
        return cache.GetOrCreateAsync(
            key,
            (client, credentials, scope, blockIndex),
            static (state, token) => new ValueTask<InstanceBlock>(state.client.FetchBlockAsync(state.credentials, state.scope, state.blockIndex, token)),
            _entryOptions,
            cancellationToken: cancellationToken);
    }
}
