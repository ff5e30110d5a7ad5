using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;

namespace Gateway.Tests.Upstream;

/// <summary>
/// The emulator's two shapes of unfinished runs, read over HTTP like the gateway reads them:
/// spread over all of history (the default, nearly every block volatile), or only among the
/// newest N (Emulator:RunningOnlyInNewest), the shape the load script also measures.
/// </summary>
public sealed class EmulatorRunningShapeTests
{
    private static readonly string[] Unfinished = ["RUNNING", "SUSPENDING"];

    [Fact]
    public async Task By_default_unfinished_runs_are_spread_over_all_of_history()
    {
        var items = await ListAsync(new EmulatorOptions { InstancesPerProject = 1000 });

        Assert.Contains(items.Skip(500), item => Unfinished.Contains(item.RunStatus));
    }

    [Fact]
    public async Task With_RunningOnlyInNewest_only_the_head_holds_unfinished_runs_and_the_rest_is_unchanged()
    {
        var spread = await ListAsync(new EmulatorOptions { InstancesPerProject = 1000 });
        var head = await ListAsync(new EmulatorOptions { InstancesPerProject = 1000, RunningOnlyInNewest = 50 });

        Assert.DoesNotContain(head.Skip(50), item => Unfinished.Contains(item.RunStatus));
        Assert.Equal(spread.Take(50), head.Take(50));

        // Only the status of a settled run changes: same ids, same order, same times.
        Assert.Equal(spread.Select(item => (item.Id, item.StartTime)), head.Select(item => (item.Id, item.StartTime)));
        Assert.All(spread.Zip(head).Skip(50).Where(pair => pair.First != pair.Second), pair => Assert.Contains(pair.First.RunStatus, Unfinished));
    }

    [Fact]
    public async Task A_negative_RunningOnlyInNewest_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await EmulatorServer.StartAsync(new EmulatorOptions { RunningOnlyInNewest = -1 }));
    }

    private static async Task<List<Instance>> ListAsync(EmulatorOptions options)
    {
        await using var emulator = await EmulatorServer.StartAsync(options);
        var (_, items) = await UpstreamTruth.ListAllAsync(emulator.BaseAddress, "shape-project", new Dictionary<string, string>());
        return items;
    }
}
