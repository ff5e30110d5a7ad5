using Gateway.Paging;

namespace Gateway.Tests.Paging;

public sealed class WindowPlanningTests
{
    private const int Default = 10;
    private const int Max = 100;

    private static Cursor At(int offset) => new(offset, 1, offset);

    [Fact]
    public void No_arguments_is_the_first_default_page() =>
        Assert.Equal(new PageWindow(0, 10), PageQuery.Create(null, null, null, null, Default, Max).Window(null));

    [Fact]
    public void First_after_starts_right_after_the_cursor() =>
        Assert.Equal(new PageWindow(43, 5), PageQuery.Create(5, At(42), null, null, Default, Max).Window(null));

    [Fact]
    public void First_is_bounded_by_before() =>
        Assert.Equal(new PageWindow(11, 4), PageQuery.Create(10, At(10), null, At(15), Default, Max).Window(null));

    [Fact]
    public void Last_before_ends_right_before_the_cursor() =>
        Assert.Equal(new PageWindow(32, 10), PageQuery.Create(null, null, 10, At(42), Default, Max).Window(null));

    [Fact]
    public void Last_before_near_the_start_is_clipped_at_zero() =>
        Assert.Equal(new PageWindow(0, 3), PageQuery.Create(null, null, 10, At(3), Default, Max).Window(null));

    [Fact]
    public void Last_without_before_needs_the_total_and_takes_the_tail()
    {
        var query = PageQuery.Create(null, null, 10, null, Default, Max);

        Assert.True(query.NeedsTotal);
        Assert.Equal(new PageWindow(1190, 10), query.Window(1200));
        Assert.Equal(new PageWindow(0, 4), query.Window(4));
        Assert.Throws<InvalidOperationException>(() => query.Window(null));
    }

    [Fact]
    public void Last_is_bounded_by_after() =>
        Assert.Equal(new PageWindow(6, 4), PageQuery.Create(null, At(5), 10, At(10), Default, Max).Window(null));

    [Fact]
    public void Before_at_or_before_after_is_an_empty_window() =>
        Assert.Equal(0, PageQuery.Create(10, At(10), null, At(5), Default, Max).Window(null).Size);

    [Fact]
    public void First_zero_is_an_empty_window() =>
        Assert.Equal(new PageWindow(0, 0), PageQuery.Create(0, null, null, null, Default, Max).Window(null));

    [Theory]
    [InlineData(-1, null, PagingError.BadArguments)]
    [InlineData(null, -1, PagingError.BadArguments)]
    [InlineData(101, null, PagingError.PageSizeExceeded)]
    [InlineData(null, 101, PagingError.PageSizeExceeded)]
    [InlineData(int.MaxValue, null, PagingError.PageSizeExceeded)]
    [InlineData(5, 5, PagingError.BadArguments)]
    public void Invalid_sizes_are_rejected(int? first, int? last, PagingError expected)
    {
        var exception = Assert.Throws<PagingException>(() => PageQuery.Create(first, null, last, null, Default, Max));

        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void After_the_largest_offset_does_not_overflow() =>
        Assert.Equal(int.MaxValue, PageQuery.Create(10, At(int.MaxValue), null, null, Default, Max).Window(null).Offset);

    [Theory]
    [InlineData(0, 10, 0, 0)]
    [InlineData(95, 10, 0, 1)]
    [InlineData(100, 100, 1, 1)]
    [InlineData(150, 100, 1, 2)]
    [InlineData(199, 1, 1, 1)]
    [InlineData(250, 0, 2, 2)]
    public void Blocks_are_aligned_to_the_block_size(int offset, int size, int first, int last) =>
        Assert.Equal(new BlockRange(first, last), BlockPlanner.BlocksFor(new PageWindow(offset, size), 100));

    [Fact]
    public void A_slice_spanning_two_blocks_is_contiguous_and_exact()
    {
        var blocks = new[] { Enumerable.Range(0, 100).ToArray(), Enumerable.Range(100, 100).ToArray() };

        var slice = BlockPlanner.Slice(new PageWindow(95, 10), new BlockRange(0, 1), blocks, total: 1000, blockSize: 100);

        Assert.Equal(Enumerable.Range(95, 10), slice.Items.Select(item => item.Item));
        Assert.Equal(Enumerable.Range(95, 10), slice.Items.Select(item => item.Position));
        Assert.True(slice.HasPreviousPage);
        Assert.True(slice.HasNextPage);
    }

    [Fact]
    public void The_last_page_has_no_next_page_and_the_first_no_previous()
    {
        var block = new[] { Enumerable.Range(0, 25).ToArray() };

        var tail = BlockPlanner.Slice(new PageWindow(20, 10), new BlockRange(0, 0), block, total: 25, blockSize: 100);
        var head = BlockPlanner.Slice(new PageWindow(0, 10), new BlockRange(0, 0), block, total: 25, blockSize: 100);

        Assert.Equal(5, tail.Items.Count);
        Assert.False(tail.HasNextPage);
        Assert.True(tail.HasPreviousPage);
        Assert.False(head.HasPreviousPage);
        Assert.True(head.HasNextPage);
    }

    [Fact]
    public void A_window_past_the_end_is_empty_not_an_error()
    {
        var block = new[] { Array.Empty<int>() };

        var slice = BlockPlanner.Slice(new PageWindow(500, 10), new BlockRange(5, 5), block, total: 25, blockSize: 100);

        Assert.Empty(slice.Items);
        Assert.False(slice.HasNextPage);
        Assert.True(slice.HasPreviousPage);
    }

    [Fact]
    public void A_block_shorter_than_promised_ends_the_slice_without_gaps()
    {
        var blocks = new[] { Enumerable.Range(0, 97).ToArray(), Enumerable.Range(100, 100).ToArray() };

        var slice = BlockPlanner.Slice(new PageWindow(95, 10), new BlockRange(0, 1), blocks, total: 1000, blockSize: 100);

        Assert.Equal([95, 96], slice.Items.Select(item => item.Item));
    }
}
