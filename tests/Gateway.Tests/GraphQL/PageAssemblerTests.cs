using Gateway.GraphQL;
using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.Tests.GraphQL;

/// <summary>
/// Page assembly case by case, against a list that moves while the page is read. The source
/// behaves like the block cache in front of the upstream: a block it has handed out once comes
/// back as it was until a refresh asks the list again.
/// </summary>
public sealed class PageAssemblerTests
{
    private const int Size = InstanceBlock.Size;

    [Fact]
    public async Task A_page_of_an_unchanging_list_is_cut_as_asked()
    {
        var list = new MovingList(count: 350);

        var page = await AssembleAsync(list, new PageRequest(First: 20, After: list.CursorAt(89), null, null, 10, 100));

        Assert.Equal(PageOutcome.Cut, page.Outcome);
        Assert.Equal(list.Ids(90, 20), Ids(page));
        Assert.Equal(350, page.Slice!.Total);
    }

    [Fact]
    public async Task A_block_from_an_older_version_is_fetched_again_so_the_page_is_one_version()
    {
        var list = new MovingList(count: 350);
        var source = new CachingSource(list);
        await source.GetAsync(1, refresh: false);          // block 1 cached at version 350
        list.Prepend(1);                                     // a new run arrives: block 0 is read at 351

        var page = await PageAssembler.AssembleAsync(new BlockSet(source), new PageRequest(First: 120, null, null, null, 10, MaxPageSize: 200));

        Assert.Equal(PageOutcome.Cut, page.Outcome);
        Assert.Equal(list.Ids(0, 120), Ids(page));
        Assert.All(page.Blocks, block => Assert.Equal(351, block.Count));
        Assert.Equal(351, page.Slice!.Total);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(99)]
    public async Task A_cursor_whose_item_moved_continues_right_after_its_item(int newRuns)
    {
        var list = new MovingList(count: 400);
        var cursor = list.CursorAt(49);
        var expected = list.Ids(50, 10);
        list.Prepend(newRuns);

        var page = await AssembleAsync(list, new PageRequest(First: 10, After: cursor, null, null, 10, 100));

        Assert.Equal(PageOutcome.Cut, page.Outcome);
        Assert.Equal(expected, Ids(page));
        Assert.Equal(50 + newRuns, page.Slice!.Items[0].Position);
    }

    [Fact]
    public async Task A_before_cursor_whose_item_moved_ends_right_before_its_item()
    {
        var list = new MovingList(count: 400);
        var cursor = list.CursorAt(150);
        var expected = list.Ids(140, 10);
        list.Prepend(3);

        var page = await AssembleAsync(list, new PageRequest(null, null, Last: 10, Before: cursor, 10, 100));

        Assert.Equal(PageOutcome.Cut, page.Outcome);
        Assert.Equal(expected, Ids(page));
    }

    [Fact]
    public async Task A_cursor_whose_item_is_gone_is_out_of_reach()
    {
        var list = new MovingList(count: 400);
        var cursor = list.CursorAt(120);
        list.Remove(120);

        var page = await AssembleAsync(list, new PageRequest(First: 10, After: cursor, null, null, 10, 100));

        Assert.Equal(PageOutcome.CursorOutOfReach, page.Outcome);
        Assert.Null(page.Slice);
    }

    [Fact]
    public async Task A_cursor_moved_further_than_its_neighbour_blocks_is_out_of_reach()
    {
        var list = new MovingList(count: 600);
        var cursor = list.CursorAt(150);
        list.Prepend(250);

        var page = await AssembleAsync(list, new PageRequest(First: 10, After: cursor, null, null, 10, 100));

        Assert.Equal(PageOutcome.CursorOutOfReach, page.Outcome);
    }

    [Fact]
    public async Task A_list_that_changes_on_every_read_is_reported_never_mixed()
    {
        var list = new MovingList(count: 400) { GrowsOnEveryRead = true };

        var page = await AssembleAsync(list, new PageRequest(First: 100, After: list.CursorAt(49), null, null, 10, 100));

        Assert.Equal(PageOutcome.ListKeepsMoving, page.Outcome);
        Assert.Null(page.Slice);
        Assert.True(list.Reads <= PageAssembler.MaxRounds * 6, $"{list.Reads} reads");
    }

    private static Task<AssembledPage> AssembleAsync(MovingList list, PageRequest request) =>
        PageAssembler.AssembleAsync(new BlockSet(new CachingSource(list)), request).AsTask();

    private static List<long> Ids(AssembledPage page) => [.. page.Slice!.Items.Select(item => item.Item.Id)];

    /// <summary>The upstream's list, newest first: ids count down, so a new run gets a higher id than every other.</summary>
    private sealed class MovingList(int count)
    {
        private readonly List<long> _ids = [.. Enumerable.Range(0, count).Select(i => 1_000_000L - i)];
        private long _next = 1_000_001;

        public bool GrowsOnEveryRead { get; init; }

        public int Reads { get; private set; }

        public Cursor CursorAt(int position) => new(position, 7, _ids[position]);

        public List<long> Ids(int from, int take) => [.. _ids.Skip(from).Take(take)];

        public void Prepend(int runs)
        {
            for (var i = 0; i < runs; i++)
            {
                _ids.Insert(0, _next++);
            }
        }

        public void Remove(int position) => _ids.RemoveAt(position);

        public InstanceBlock Read(int index)
        {
            Reads++;
            if (GrowsOnEveryRead)
            {
                Prepend(1);
            }

            var items = _ids.Skip(index * Size).Take(Size)
                .Select(id => new QualityTaskInstance(id, $"run-{id}", 1, QualityTaskType.QualityTask, QualityRunStatus.Success, QualityNotifyStatus.NotTriggered, null, null))
                .ToList();
            return new InstanceBlock(_ids.Count, DateTimeOffset.UnixEpoch, items);
        }
    }

    /// <summary>Like the block cache: the first read of a block is kept; a refresh reads the list again.</summary>
    private sealed class CachingSource(MovingList list) : IBlockSource
    {
        private readonly Dictionary<int, InstanceBlock> _cached = [];

        public ValueTask<InstanceBlock> GetAsync(int index, bool refresh)
        {
            if (refresh || !_cached.TryGetValue(index, out var block))
            {
                _cached[index] = block = list.Read(index);
            }

            return ValueTask.FromResult(block);
        }
    }
}
