using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>What a page asks for: the paging arguments, cursors decoded.</summary>
internal sealed record PageRequest(int? First, Cursor? After, int? Last, Cursor? Before, int DefaultPageSize, int MaxPageSize);

internal enum PageOutcome
{
    /// <summary>The page, cut from blocks of one version of the list.</summary>
    Cut,

    /// <summary>A cursor's item is no longer within reach of where it was (the list moved a lot, or the item is gone).</summary>
    CursorOutOfReach,

    /// <summary>The list changed on every read within the round limit: no page could be cut from one version of it.</summary>
    ListKeepsMoving,
}

internal sealed record AssembledPage(PageOutcome Outcome, PageSlice<QualityTaskInstance>? Slice, IReadOnlyCollection<InstanceBlock> Blocks);

/// <summary>
/// Cuts a page out of aligned blocks so that it is exact although the upstream list moves
/// (new runs shift every offset; docs/scaling.md). Each round plans the window, loads its blocks
/// and then settles exactly one thing: a block older than the newest is re-fetched; a cursor
/// whose item moved is re-anchored on it (looking in its block and both neighbours); otherwise
/// the page is cut. A page is never cut from blocks of two versions: a list that keeps moving
/// past the round limit is an explicit outcome, not a mixed page.
/// </summary>
internal static class PageAssembler
{
    /// <summary>Enough to re-fetch stale blocks and re-anchor a cursor twice; a list that moves faster is reported, not chased.</summary>
    public const int MaxRounds = 5;

    private const int Size = InstanceBlock.Size;

    public static async ValueTask<AssembledPage> AssembleAsync(BlockSet blocks, PageRequest request)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(request);
        var (after, before) = (request.After, request.Before);
        for (var round = 0; round < MaxRounds; round++)
        {
            var query = PageQuery.Create(request.First, after, request.Last, before, request.DefaultPageSize, request.MaxPageSize);

            // "last" without "before" counts back from the end: block 0 carries the total, and
            // it is the block most likely to be cached already.
            var window = query.Window(query.NeedsTotal ? (await blocks.GetAsync(0)).Count : null);
            var range = BlockPlanner.BlocksFor(window, Size);
            await blocks.EnsureAsync(Enumerable.Range(range.First, range.Count).Concat(AnchorBlocks(after, before)));
            if (await blocks.RefreshStaleAsync())
            {
                continue;
            }

            if (!Moved(after, blocks) && !Moved(before, blocks))
            {
                var slice = BlockPlanner.Slice(window, range, [.. Enumerable.Range(range.First, range.Count).Select(index => blocks.Blocks[index].Items)], blocks.Total, Size);
                return new AssembledPage(PageOutcome.Cut, slice, [.. blocks.Blocks.Values]);
            }

            await blocks.EnsureAsync(AnchorBlocks(after, before).SelectMany(index => new[] { index - 1, index, index + 1 }));
            if (await blocks.RefreshStaleAsync())
            {
                continue;
            }

            if (!TryRelocate(ref after, blocks) || !TryRelocate(ref before, blocks))
            {
                return new AssembledPage(PageOutcome.CursorOutOfReach, null, [.. blocks.Blocks.Values]);
            }
        }

        return new AssembledPage(PageOutcome.ListKeepsMoving, null, [.. blocks.Blocks.Values]);
    }

    private static IEnumerable<int> AnchorBlocks(Cursor? after, Cursor? before) =>
        new[] { after, before }.Where(cursor => cursor is not null).Select(cursor => cursor!.Value.Offset / Size);

    /// <summary>True when the cursor's item is no longer at the cursor's position.</summary>
    private static bool Moved(Cursor? cursor, BlockSet blocks) =>
        cursor is { } c
        && (!blocks.Blocks.TryGetValue(c.Offset / Size, out var block)
            || c.Offset % Size >= block.Items.Count
            || block.Items[c.Offset % Size].Id != c.ItemId);

    /// <summary>Moves a moved cursor to where its item is now; false when it is not within reach.</summary>
    private static bool TryRelocate(ref Cursor? cursor, BlockSet blocks)
    {
        if (cursor is not { } c || !Moved(c, blocks))
        {
            return true;
        }

        var position = SnapshotRules.Relocate(c.ItemId, c.Offset, blocks.Items(), item => item.Id, Size);
        cursor = position is { } found ? c with { Offset = found } : null;
        return position is not null;
    }
}
