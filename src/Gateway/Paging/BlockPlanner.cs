namespace Gateway.Paging;

/// <summary>
/// Maps windows onto upstream blocks aligned to the block size, so that every page of a list,
/// whatever its offset and size, reuses the same few cacheable upstream calls.
/// </summary>
public static class BlockPlanner
{
    /// <summary>The blocks that hold <paramref name="window"/>; at least one, even for an empty window, since a block carries the list's total.</summary>
    /// <param name="window">The positions of the page.</param>
    /// <param name="blockSize">Items per block (<c>InstanceBlock.Size</c>, 100), positive.</param>
    public static BlockRange BlocksFor(PageWindow window, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);

        // An empty window still needs one block: it carries the total for totalCount and pageInfo.
        var first = window.Offset / blockSize;
        var last = window.Size == 0 ? first : (window.End - 1) / blockSize;
        return new BlockRange(first, last);
    }

    /// <summary>
    /// Cuts the window out of the fetched blocks (<paramref name="blocks"/>[0] is block
    /// <paramref name="range"/>.First). Stops early if a block holds fewer items than the total
    /// promised, which happens when the list changes between two block fetches.
    /// </summary>
    public static PageSlice<T> Slice<T>(PageWindow window, BlockRange range, IReadOnlyList<IReadOnlyList<T>> blocks, int total, int blockSize)
    {
        var end = Math.Min(window.End, total);
        var items = new List<PositionedItem<T>>(Math.Max(0, end - window.Offset));
        for (var position = window.Offset; position < end; position++)
        {
            var block = blocks[(position / blockSize) - range.First];
            var index = position % blockSize;
            if (index >= block.Count)
            {
                break;
            }

            items.Add(new PositionedItem<T>(position, block[index]));
        }

        return new PageSlice<T>(items, total, HasPreviousPage: window.Offset > 0, HasNextPage: window.Offset + items.Count < total);
    }
}

/// <summary>An item with its zero-based position in the whole list; the position goes into the item's cursor.</summary>
/// <param name="Position">Zero-based index in the list as the upstream orders it.</param>
/// <param name="Item">The item at that position.</param>
/// <typeparam name="T">The item type.</typeparam>
public readonly record struct PositionedItem<T>(int Position, T Item);

/// <summary>A page cut from blocks, with what Relay's connection reports about it.</summary>
/// <param name="Items">The page's items in list order; fewer than asked at the end of the list or when a block came up short.</param>
/// <param name="Total">The upstream's total for the query (totalCount).</param>
/// <param name="HasPreviousPage">Items exist before the page (its offset is above 0).</param>
/// <param name="HasNextPage">Items exist after the page's last item.</param>
/// <typeparam name="T">The item type.</typeparam>
public sealed record PageSlice<T>(IReadOnlyList<PositionedItem<T>> Items, int Total, bool HasPreviousPage, bool HasNextPage);
