using Gateway.Caching;
using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>
/// The blocks one resolution has fetched, by index: fetched concurrently, each at most once,
/// and re-fetched from the upstream when they turn out to be cut from an older version of the
/// list than the others.
/// </summary>
internal sealed class BlockSet(InstanceBlockCache cache, UpstreamCredentials credentials, InstanceListScope scope, CacheRequest request, string field, CancellationToken cancellationToken)
{
    private readonly Dictionary<int, InstanceBlock> _blocks = [];
    private CacheRequest? _refresh;

    public IReadOnlyDictionary<int, InstanceBlock> Blocks => _blocks;

    public async ValueTask<InstanceBlock> GetAsync(int index)
    {
        await EnsureAsync([index]);
        return _blocks[index];
    }

    public async ValueTask EnsureAsync(IEnumerable<int> indices)
    {
        var missing = indices.Where(index => index >= 0 && !_blocks.ContainsKey(index)).Distinct().ToArray();
        await LoadAsync(missing, request);
    }

    /// <summary>Re-fetches, from the upstream, every held block older than the newest; false when all agree.</summary>
    public async ValueTask<bool> RefreshStaleAsync()
    {
        var stale = SnapshotRules.StaleBlocks(_blocks.ToDictionary(pair => pair.Key, pair => pair.Value.Count));
        if (stale.Count == 0)
        {
            return false;
        }

        _refresh ??= new CacheRequest(refresh: true, request.Report);
        await LoadAsync([.. stale], _refresh);
        return true;
    }

    /// <summary>The upstream's total, from the newest block held.</summary>
    public int Total => _blocks.Values.Max(block => block.Count);

    public IReadOnlyDictionary<int, IReadOnlyList<QualityTaskInstance>> Items() => _blocks.ToDictionary(pair => pair.Key, pair => pair.Value.Items);

    private async ValueTask LoadAsync(int[] indices, CacheRequest how)
    {
        if (indices.Length == 1)
        {
            _blocks[indices[0]] = await cache.GetBlockAsync(credentials, credentials.CallerKey, scope, indices[0], how, field, cancellationToken);
            return;
        }

        var loaded = await Task.WhenAll(indices.Select(index => cache.GetBlockAsync(credentials, credentials.CallerKey, scope, index, how, field, cancellationToken).AsTask()));
        for (var i = 0; i < indices.Length; i++)
        {
            _blocks[indices[i]] = loaded[i];
        }
    }
}
