using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>Where a poll gets the head of a list: block 0, fresh from the upstream.</summary>
public interface IHeadSource
{
    /// <summary>Block 0 of the caller's list as the upstream has it now (never a cached copy); upstream failures as <see cref="UpstreamException"/>.</summary>
    Task<InstanceBlock> FetchHeadAsync(UpstreamCredentials credentials, InstanceListScope scope, CancellationToken cancellationToken);
}

/// <summary>
/// Through the block cache with its refresh flag, as a request with <c>Cache-Control: no-cache</c>
/// asks: a cached block never stands in for a poll, the call goes through the single-flight and
/// the caller's budget, and the fresh block is stored for everyone paging the same list.
/// </summary>
internal sealed class CachedHeadSource(InstanceBlockCache cache) : IHeadSource
{
    public const string Field = "qualityTaskInstanceChanges";

    private static readonly CacheRequest Refresh = new(refresh: true, report: null);

    public async Task<InstanceBlock> FetchHeadAsync(UpstreamCredentials credentials, InstanceListScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        return await cache.GetBlockAsync(credentials, credentials.CallerKey, scope, 0, Refresh, Field, cancellationToken);
    }
}
