namespace Gateway.Tests.Infrastructure;

/// <summary>The fixtures' one lifecycle: stopped in reverse order, also after a start that failed half-way.</summary>
public sealed class FixtureLifecycleTests
{
    [Fact]
    public async Task What_was_started_is_disposed_in_reverse_order()
    {
        var disposed = new List<string>();
        var fixture = new Starting(disposed, "redis", "emulator", "gateway");

        await fixture.InitializeAsync();
        Assert.Empty(disposed);
        await fixture.DisposeAsync();

        Assert.Equal(["gateway", "emulator", "redis"], disposed);
    }

    [Fact]
    public async Task A_start_that_fails_half_way_disposes_what_it_had_started()
    {
        var disposed = new List<string>();
        var fixture = new Starting(disposed, "redis", "emulator", null);

        await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);

        Assert.Equal(["emulator", "redis"], disposed);
    }

    private sealed class Starting(List<string> disposed, params string?[] names) : FixtureLifecycle
    {
        protected override Task StartAsync()
        {
            foreach (var name in names)
            {
                Started(new Resource(name ?? throw new InvalidOperationException("This one does not start."), disposed));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Resource(string name, List<string> disposed) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            disposed.Add(name);
            return ValueTask.CompletedTask;
        }
    }
}
