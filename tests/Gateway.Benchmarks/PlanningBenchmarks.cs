using BenchmarkDotNet.Attributes;
using Gateway.Paging;

namespace Gateway.Benchmarks;

/// <summary>
/// From Relay arguments to the items of a page: the window, the aligned blocks that cover it,
/// and the slice cut out of them. The window straddles two blocks, the most work a page does.
/// </summary>
public class PlanningBenchmarks
{
    private const int BlockSize = 100;
    private readonly Cursor _after = new(94, 42, 7);
    private readonly IReadOnlyList<IReadOnlyList<int>> _blocks = [Enumerable.Range(0, BlockSize).ToArray(), Enumerable.Range(BlockSize, BlockSize).ToArray()];

    [Benchmark]
    public BlockRange Plan()
    {
        var query = PageQuery.Create(first: 10, after: _after, last: null, before: null, defaultPageSize: 10, maxPageSize: 100);
        return BlockPlanner.BlocksFor(query.Window(total: null), BlockSize);
    }

    [Benchmark]
    public PageSlice<int> PlanAndSlice()
    {
        var query = PageQuery.Create(first: 10, after: _after, last: null, before: null, defaultPageSize: 10, maxPageSize: 100);
        var window = query.Window(total: null);
        var range = BlockPlanner.BlocksFor(window, BlockSize);
        return BlockPlanner.Slice(window, range, _blocks, total: 3000, BlockSize);
    }
}
