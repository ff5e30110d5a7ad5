using Gateway.Live;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Live;

public sealed class LiveBudgetShareTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(40, 0.25, 10)]
    [InlineData(10, 0.25, 2)]
    [InlineData(3, 0.25, 1)]
    [InlineData(40, 1.0, 40)]
    public void The_share_is_the_budget_times_the_share_rounded_down_and_never_none(int permitLimit, double share, int expected) =>
        Assert.Equal(expected, InProcessLiveBudgetShare.PermitsFor(permitLimit, share));

    [Fact]
    public async Task A_caller_gets_its_share_per_window_and_learns_when_the_next_one_is_free()
    {
        var share = Share(permitLimit: 8, window: TimeSpan.FromSeconds(10), maxShare: 0.25);

        Assert.True((await share.TryTakeAsync("alice", default)).Granted);
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.True((await share.TryTakeAsync("alice", default)).Granted);
        var refused = await share.TryTakeAsync("alice", default);

        Assert.False(refused.Granted);
        Assert.Equal(TimeSpan.FromSeconds(7), refused.RetryAfter);
        Assert.True((await share.TryTakeAsync("bob", default)).Granted);
        _time.Advance(TimeSpan.FromSeconds(7));
        Assert.True((await share.TryTakeAsync("alice", default)).Granted);
    }

    private InProcessLiveBudgetShare Share(int permitLimit, TimeSpan window, double maxShare) => new(
        Options.Create(new LiveOptions { MaxBudgetShare = maxShare }),
        Options.Create(new UpstreamOptions { Budget = new UpstreamBudgetOptions { PermitLimit = permitLimit, Window = window } }),
        _time);
}
