using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>
/// The blocks one resolution has fetched, by index: fetched concurrently, each at most once,
/// and re-fetched from the upstream when they turn out to be cut from an older version of the
/// list than the others.
/// </summary>
internal sealed class BlockSet(IBlockSource source)
{
    private readonly Dictionary<int, InstanceBlock> _blocks = [];

    public IReadOnlyDictionary<int, InstanceBlock> Blocks => _blocks;

    /// <summary>True when every held block is cut from the same version of the list.</summary>
    public bool IsOneVersion => SnapshotRules.StaleBlocks(Counts()).Count == 0;

    /// <summary>The upstream's total, from the newest block held.</summary>
    public int Total => _blocks.Values.Max(block => block.Count);

    public async ValueTask<InstanceBlock> GetAsync(int index)
    {
        await EnsureAsync([index]);
        return _blocks[index];
    }

    public ValueTask EnsureAsync(IEnumerable<int> indices) =>
        LoadAsync([.. indices.Where(index => index >= 0 && !_blocks.ContainsKey(index)).Distinct()], refresh: false);

    /// <summary>Re-fetches, from the upstream, every held block older than the newest; false when all agree.</summary>
    public async ValueTask<bool> RefreshStaleAsync()
    {
        var stale = SnapshotRules.StaleBlocks(Counts());
        if (stale.Count == 0)
        {
            return false;
        }

        await LoadAsync([.. stale], refresh: true);
        return true;
    }

    public IReadOnlyDictionary<int, IReadOnlyList<QualityTaskInstance>> Items() => _blocks.ToDictionary(pair => pair.Key, pair => pair.Value.Items);

    private Dictionary<int, int> Counts() => _blocks.ToDictionary(pair => pair.Key, pair => pair.Value.Count);

    private async ValueTask LoadAsync(int[] indices, bool refresh)
    {
        if (indices.Length == 1)
        {
            _blocks[indices[0]] = await source.GetAsync(indices[0], refresh);
            return;
        }

        var loaded = await Task.WhenAll(indices.Select(index => source.GetAsync(index, refresh).AsTask()));
        for (var i = 0; i < indices.Length; i++)
        {
            _blocks[indices[i]] = loaded[i];
        }
    }
}
