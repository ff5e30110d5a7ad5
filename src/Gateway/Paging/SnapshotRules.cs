namespace Gateway.Paging;

/// <summary>
/// How blocks fetched at different times are reconciled. The upstream is offset-based and
/// newest first: a new instance shifts every offset by one, so blocks only fit together if
/// they were cut from the same version of the list, and a cursor's offset only holds while the
/// list has not moved. The upstream count is the version mark (new instances raise it).
/// </summary>
public static class SnapshotRules
{
    /// <summary>The indices of blocks cut from an older version of the list than the newest one held.</summary>
    public static IReadOnlyList<int> StaleBlocks(IReadOnlyDictionary<int, int> countByBlock)
    {
        ArgumentNullException.ThrowIfNull(countByBlock);
        if (countByBlock.Count < 2)
        {
            return [];
        }

        var newest = countByBlock.Values.Max();
        return [.. countByBlock.Where(pair => pair.Value != newest).Select(pair => pair.Key)];
    }

    /// <summary>
    /// Where the item with <paramref name="itemId"/> is now, looking outward from where it was
    /// (<paramref name="formerPosition"/>) over the positions the held blocks cover; null when it
    /// is not among them.
    /// </summary>
    public static int? Relocate<T>(long itemId, int formerPosition, IReadOnlyDictionary<int, IReadOnlyList<T>> blocks, Func<T, long> idOf, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(idOf);
        var first = blocks.Keys.Min() * blockSize;
        var end = blocks.Keys.Max() * blockSize + blockSize;
        for (var distance = 0; formerPosition - distance >= first || formerPosition + distance < end; distance++)
        {
            foreach (var position in distance == 0 ? [formerPosition] : new[] { formerPosition + distance, formerPosition - distance })
            {
                if (position >= first && position < end
                    && blocks.TryGetValue(position / blockSize, out var block) && position % blockSize < block.Count
                    && idOf(block[position % blockSize]) == itemId)
                {
                    return position;
                }
            }
        }

        return null;
    }
}
