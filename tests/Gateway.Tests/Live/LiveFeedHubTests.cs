using System.Diagnostics.Metrics;
using Gateway.GraphQL;
using Gateway.Live;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Live;

/// <summary>The hub and its feeds on a fake clock and a fake upstream head: sharing, baseline, errors, limits, slow readers, shutdown.</summary>
public sealed class LiveFeedHubTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly UpstreamCredentials Alice = new("token-alice", "ws");
    private static readonly InstanceListScope Everything = new("p1", InstanceFilter.None);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly FakeHeadSource _head = new();
    private readonly ServiceProvider _metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private LiveFeedHub _hub = null!;
    private int _ticks;

    public Task InitializeAsync()
    {
        _hub = Hub(permitLimit: 1000);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _hub.DisposeAsync();
        await _metrics.DisposeAsync();
    }

    [Fact]
    public async Task Subscribers_of_one_caller_and_list_share_one_poller_and_each_gets_every_change()
    {
        _head.Show(Run(1));
        var observers = Enumerable.Range(0, 3).Select(_ => new RecordingObserver()).ToList();
        var subscriptions = observers.Select(observer => Subscribe(observer)).ToList();
        await TickUntilAsync(() => _head.Polls >= 1, "the baseline poll");

        _head.Show(Run(3), Run(2) with { RunStatus = QualityRunStatus.Failed }, Run(1));
        await TickUntilAsync(() => observers.All(observer => observer.Changes.Count() == 2), "every subscriber got both changes");

        Assert.Equal(1, _hub.FeedCount);
        Assert.True(_head.Polls <= _ticks + 1, $"{_head.Polls} polls in {_ticks} intervals: more than one poller");
        Assert.All(observers, observer => Assert.Equal([2L, 3L], observer.Changes.Select(change => change.Instance.Id)));
        using var other = Subscribe(new RecordingObserver(), new InstanceListScope("p1", new InstanceFilter(RunStatus: QualityRunStatus.Failed)));
        Assert.Equal(2, _hub.FeedCount);
        subscriptions.ForEach(subscription => subscription.Dispose());
    }

    [Fact]
    public async Task The_first_poll_sets_the_baseline_and_sends_nothing()
    {
        _head.Show(Run(2), Run(1));
        var observer = new RecordingObserver();
        using var subscription = Subscribe(observer);

        await TickUntilAsync(() => _head.Polls >= 3, "three polls");

        Assert.Empty(observer.Events);
    }

    [Fact]
    public async Task When_the_last_subscriber_leaves_polling_stops()
    {
        var first = Subscribe(new RecordingObserver());
        var second = Subscribe(new RecordingObserver());
        await TickUntilAsync(() => _head.Polls >= 2, "two polls");

        first.Dispose();
        await TickUntilAsync(() => _head.Polls >= 3, "polling goes on for the second subscriber");
        second.Dispose();
        Assert.Equal(0, _hub.FeedCount);
        await _hub.DisposeAsync();
        var polls = _head.Polls;
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(Interval);
        }

        Assert.Equal(polls, _head.Polls);
    }

    [Fact]
    public async Task A_transient_failure_is_reported_once_and_the_feed_goes_on()
    {
        _head.Show(Run(1));
        var observer = new RecordingObserver();
        using var subscription = Subscribe(observer);
        await TickUntilAsync(() => _head.Polls >= 1, "the baseline poll");

        _head.Fail(new UpstreamException(UpstreamErrorKind.Unavailable, "The upstream answered 503.", statusCode: 503));
        await TickUntilAsync(() => _head.Polls >= 4, "three failed polls");
        _head.Show(Run(2), Run(1));
        await TickUntilAsync(() => observer.Changes.Any(), "the change after the failures");

        var fault = Assert.Single(observer.Faults);
        Assert.Equal(ErrorCodes.UpstreamUnavailable, fault.Code);
        Assert.False(fault.Ends);
        Assert.False(observer.Completed);
        Assert.Equal(2L, Assert.Single(observer.Changes).Instance.Id);
    }

    [Fact]
    public async Task A_refusal_of_the_caller_ends_every_subscription()
    {
        var observers = new[] { new RecordingObserver(), new RecordingObserver() };
        var subscriptions = observers.Select(observer => Subscribe(observer)).ToList();
        _head.Fail(new UpstreamException(UpstreamErrorKind.Unauthorized, "The upstream rejected the token.", statusCode: 401, upstreamErrorCode: "APIGW.0301"));

        await TickUntilAsync(() => observers.All(observer => observer.Completed), "both subscriptions completed");

        Assert.All(observers, observer => Assert.Equal(ErrorCodes.UpstreamUnauthorized, Assert.Single(observer.Faults).Code));

        // Ended subscribers leave by themselves: no feed left behind, however the transport reacts.
        await Eventually.UntilAsync(() => Task.FromResult(_hub.FeedCount == 0), Bound, "the ended feed is gone");
        subscriptions.ForEach(subscription => subscription.Dispose());
    }

    [Fact]
    public async Task A_subscriber_that_does_not_read_holds_up_nobody()
    {
        using var stuck = new ManualResetEventSlim();
        _head.Show(Run(1));
        var slow = new RecordingObserver { Stuck = stuck };
        var fast = new RecordingObserver();
        using var slowSubscription = Subscribe(slow);
        using var fastSubscription = Subscribe(fast);
        await TickUntilAsync(() => _head.Polls >= 1, "the baseline poll");

        for (var id = 2; id <= 4; id++)
        {
            var head = Enumerable.Range(1, id).Reverse().Select(i => Run(i)).ToArray();
            _head.Show(head);
            await TickUntilAsync(() => fast.Changes.Count() == id - 1, $"run {id} reached the subscriber that reads");
        }

        Assert.Empty(slow.Events);
        stuck.Set();
        await TickUntilAsync(() => slow.Changes.Count() == 3, "the slow subscriber caught up once it read");
    }

    [Fact]
    public async Task A_subscriber_too_far_behind_is_ended_with_SUBSCRIBER_TOO_SLOW_after_what_it_was_sent()
    {
        await using var hub = Hub(permitLimit: 1000, maxQueuedEvents: 2);
        using var stuck = new ManualResetEventSlim();
        var slow = new RecordingObserver { Stuck = stuck };
        _head.Show(Run(1));
        using var subscription = hub.Attach(hub.Reserve(Alice), Everything, slow);
        await TickUntilAsync(() => _head.Polls >= 1, "the baseline poll");

        // Four new runs in one poll, to a subscriber that takes at most one and holds two waiting:
        // the rest is one too many.
        _head.Show(Run(5), Run(4), Run(3), Run(2), Run(1));
        await TickUntilAsync(() => _head.Polls >= 2, "the poll that sees them");
        stuck.Set();

        await Eventually.UntilAsync(() => Task.FromResult(slow.Completed), Bound, "the slow subscriber was ended");
        var received = slow.Changes.Select(change => change.Instance.Id).ToList();
        Assert.InRange(received.Count, 2, 3);
        Assert.Equal(new long[] { 2, 3, 4 }.Take(received.Count), received);
        Assert.IsType<LiveFault>(slow.Events[^1]);
        Assert.Equal(ErrorCodes.SubscriberTooSlow, Assert.Single(slow.Faults).Code);
    }

    [Fact]
    public async Task Past_its_share_of_the_budget_the_feed_polls_less_often()
    {
        // 8 calls per 10 s with a quarter for the feed: 2 polls per 10 s, where the interval asks for 10.
        await using var hub = Hub(permitLimit: 8);
        using var subscription = hub.Attach(hub.Reserve(Alice), Everything, new RecordingObserver());
        await TickUntilAsync(() => _head.Polls >= 1, "the first poll");

        for (var i = 0; i < 9; i++)
        {
            _time.Advance(Interval);
        }

        await TickUntilAsync(() => _head.Polls >= 3, "the poll of the next window");
        Assert.True(_head.Polls <= 2 * ((_ticks + 9) / 10 + 1), $"{_head.Polls} polls in {_ticks + 9} s");
    }

    [Fact]
    public async Task A_caller_holds_at_most_MaxSubscriptionsPerCaller()
    {
        await using var hub = Hub(permitLimit: 1000, maxPerCaller: 2);
        var first = hub.Reserve(Alice);
        using var second = hub.Reserve(Alice);

        var refused = Assert.Throws<GatewayError>(() => hub.Reserve(Alice));
        Assert.Equal(ErrorCodes.SubscriptionLimitExceeded, refused.Code);
        using var bob = hub.Reserve(new UpstreamCredentials("token-bob", "ws"));
        first.Dispose();
        using var again = hub.Reserve(Alice);
    }

    [Fact]
    public async Task Shutdown_completes_every_subscriber()
    {
        var observers = new[] { new RecordingObserver(), new RecordingObserver() };
        var subscriptions = observers.Select(observer => Subscribe(observer)).ToList();

        await _hub.ShutdownAsync();

        await Eventually.UntilAsync(() => Task.FromResult(observers.All(observer => observer.Completed)), Bound, "every subscriber completed");
        Assert.All(observers, observer => Assert.Empty(observer.Faults));
        subscriptions.ForEach(subscription => subscription.Dispose());
    }

    private IDisposable Subscribe(RecordingObserver observer, InstanceListScope? scope = null) =>
        _hub.Attach(_hub.Reserve(Alice), scope ?? Everything, observer);

    /// <summary>One poll interval of fake time per step, until the condition holds (an advance the loop was not yet waiting for is simply repeated).</summary>
    private Task TickUntilAsync(Func<bool> condition, string what) => Eventually.UntilAsync(
        () =>
        {
            if (condition())
            {
                return Task.FromResult(true);
            }

            _time.Advance(Interval);
            _ticks++;
            return Task.FromResult(false);
        },
        Bound,
        what);

    private LiveFeedHub Hub(int permitLimit, int maxPerCaller = 10, int maxQueuedEvents = 100)
    {
        var live = Options.Create(new LiveOptions { PollInterval = Interval, MaxBackoff = TimeSpan.FromSeconds(2), MaxSubscriptionsPerCaller = maxPerCaller, MaxQueuedEvents = maxQueuedEvents });
        var upstream = Options.Create(new UpstreamOptions { Budget = new UpstreamBudgetOptions { PermitLimit = permitLimit, Window = TimeSpan.FromSeconds(10) } });
        return new LiveFeedHub(new InProcessLiveCoordinator(), new InProcessLiveBudgetShare(live, upstream, _time), _head, live, _time, new LiveMetrics(_metrics.GetRequiredService<IMeterFactory>()), NullLogger<LiveFeedHub>.Instance);
    }

    private static QualityTaskInstance Run(long id) =>
        new(id, $"run-{id}", 7, QualityTaskType.QualityTask, QualityRunStatus.Running, QualityNotifyStatus.NotTriggered, T0.AddSeconds(id), null);
}
