using Gateway.Paging;

namespace Gateway.Tests.Paging;

public sealed class SnapshotRulesTests
{
    [Fact]
    public void Blocks_from_the_same_version_are_consistent() =>
        Assert.Empty(SnapshotRules.StaleBlocks(new Dictionary<int, int> { [0] = 1000, [1] = 1000 }));

    [Fact]
    public void Blocks_from_an_older_version_are_stale() =>
        Assert.Equal([0, 2], SnapshotRules.StaleBlocks(new Dictionary<int, int> { [0] = 1000, [1] = 1030, [2] = 1010 }).Order());

    [Fact]
    public void An_item_that_did_not_move_is_where_it_was()
    {
        var blocks = Blocks(0, 200);

        Assert.Equal(42, SnapshotRules.Relocate(42, 42, blocks, id => id, 100));
    }

    [Fact]
    public void An_item_pushed_down_by_new_items_is_found_further_on_even_in_the_next_block()
    {
        // 30 new items at the head: what was at 99 is now at 129.
        var blocks = Blocks(-30, 300);

        Assert.Equal(129, SnapshotRules.Relocate(99, 99, blocks, id => id, 100));
    }

    [Fact]
    public void An_item_pulled_up_by_removed_items_is_found_earlier()
    {
        var blocks = Blocks(5, 300);

        Assert.Equal(95, SnapshotRules.Relocate(100, 100, blocks, id => id, 100));
    }

    [Fact]
    public void An_item_outside_the_held_blocks_is_not_found()
    {
        var blocks = Blocks(-500, 300);

        Assert.Null(SnapshotRules.Relocate(99, 99, blocks, id => id, 100));
    }

    // Blocks 0..n/100 of a list whose item at position p has id p + shift (a negative shift is
    // new items at the head).
    private static Dictionary<int, IReadOnlyList<long>> Blocks(int shift, int count) =>
        Enumerable.Range(0, count / 100).ToDictionary(index => index, index => (IReadOnlyList<long>)[.. Enumerable.Range(index * 100, 100).Select(p => (long)(p + shift))]);
}
