using Gateway.GraphQL;
using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>
/// One feed in this process: the local subscribers of one (caller, project, filter), and the
/// poll loop that runs while this process holds the feed's lease. A poll takes a share of the
/// caller's budget (<see cref="ILiveBudgetShare"/>), fetches block 0 fresh
/// (<see cref="IHeadSource"/>), compares it with the previous head (<see cref="ChangeDetector"/>)
/// and publishes the changes (<see cref="ILiveCoordinator"/>); whatever is published, by this
/// process or another, reaches the local subscribers through <see cref="DeliverAsync"/>.
/// </summary>
internal sealed partial class LiveFeed(LiveFeedKey key, UpstreamCredentials credentials, LiveFeedServices services)
{
    private readonly List<LiveSubscriber> _subscribers = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private Task? _stopped;

    private LiveHead? _head;

    public LiveFeedKey Key => key;

    /// <summary>The latest head this process has seen or heard of: the next poll's baseline.</summary>
    public LiveHead? Head => Volatile.Read(ref _head);

    /// <summary>True once a fault ended every subscription: a new subscriber needs a new feed.</summary>
    public bool Ended { get; private set; }

    public int Count
    {
        get
        {
            lock (_subscribers)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Start() => _loop = RunAsync(_stop.Token);

    public void Add(LiveSubscriber subscriber)
    {
        lock (_subscribers)
        {
            _subscribers.Add(subscriber);
        }
    }

    /// <summary>Removes the subscriber; true when it was the last one.</summary>
    public bool Remove(LiveSubscriber subscriber)
    {
        lock (_subscribers)
        {
            _subscribers.Remove(subscriber);
            return _subscribers.Count == 0;
        }
    }

    /// <summary>Ends every subscription (shutdown): each gets its completion.</summary>
    public void EndAll(LiveFault? fault)
    {
        foreach (var subscriber in Snapshot())
        {
            subscriber.End(fault);
        }
    }

    /// <summary>Stops polling and leaves the fan-out and the lease (once, however often it is asked).</summary>
    public Task StopAsync()
    {
        lock (_subscribers)
        {
            return _stopped ??= StopOnceAsync();
        }
    }

    private async Task StopOnceAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // The loop's own cancellation.
        }
    }

    private LiveSubscriber[] Snapshot()
    {
        lock (_subscribers)
        {
            return [.. _subscribers];
        }
    }

    /// <summary>Keeps <paramref name="head"/> unless a later one is already known.</summary>
    public void Observe(LiveHead head)
    {
        lock (_subscribers)
        {
            if (_head is null || head.SeenAt >= _head.SeenAt)
            {
                _head = head;
            }
        }
    }

    private ValueTask DeliverAsync(LiveBatch batch)
    {
        if (batch.Head is { } head)
        {
            Observe(head);
        }

        var subscribers = Snapshot();
        if (batch.Fault is { Ends: true } ending)
        {
            Ended = true;
            foreach (var subscriber in subscribers)
            {
                subscriber.End(ending);
            }

            return ValueTask.CompletedTask;
        }

        foreach (var subscriber in subscribers)
        {
            if (batch.Fault is { } fault)
            {
                subscriber.Offer(fault);
            }

            foreach (var change in batch.Changes)
            {
                subscriber.Offer(change);
            }
        }

        services.Metrics.Delivered(batch.Changes.Count * subscribers.Length);
        return ValueTask.CompletedTask;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var joined = await services.Coordinator.JoinAsync(key, DeliverAsync, cancellationToken);
        try
        {
            await new LivePollLoop(this, credentials, services).RunAsync(cancellationToken);
        }
        finally
        {
            await joined.DisposeAsync();
            await services.Coordinator.ReleaseLeaseAsync(key);
        }
    }
}
