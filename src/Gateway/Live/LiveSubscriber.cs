using System.Threading.Channels;
using Gateway.GraphQL;

namespace Gateway.Live;

/// <summary>
/// One subscription's queue between its feed and its transport. The feed only ever offers
/// (never waits), and each subscriber has its own pump, so a subscriber that reads slowly holds
/// up nobody else; one that falls more than Live:MaxQueuedEvents behind is ended with
/// SUBSCRIBER_TOO_SLOW once it has caught up with what it was sent before.
/// </summary>
internal sealed class LiveSubscriber : IDisposable
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IObserver<object?> _observer;
    private readonly Action<LiveSubscriber> _leave;
    private readonly int _capacity;
    private int _queued;
    private int _disposed;

    public LiveSubscriber(IObserver<object?> observer, int capacity, Action<LiveSubscriber> leave)
    {
        _observer = observer;
        _capacity = capacity;
        _leave = leave;
        Pump = PumpAsync();
    }

    /// <summary>Completes when the subscriber has been handed its last event (or left).</summary>
    public Task Pump { get; }

    public void Offer(object item)
    {
        if (Interlocked.Increment(ref _queued) > _capacity)
        {
            End(new LiveFault(ErrorCodes.SubscriberTooSlow, $"This subscription fell more than {_capacity} events behind (Live:MaxQueuedEvents) and was ended; subscribe again.", null, Ends: true));
            return;
        }

        _queue.Writer.TryWrite(item);
    }

    /// <summary>No more events: the fault last, if there is one, then completion.</summary>
    public void End(LiveFault? fault)
    {
        if (fault is not null)
        {
            _queue.Writer.TryWrite(fault);
        }

        _queue.Writer.TryComplete();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            _leave(this);
        }
    }

    private async Task PumpAsync()
    {
        await Task.Yield();
        await foreach (var item in _queue.Reader.ReadAllAsync())
        {
            Interlocked.Decrement(ref _queued);
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            _observer.OnNext(item);
        }

        // Ended by the feed (a refusal, shutdown, too slow): the subscriber leaves by itself,
        // freeing its feed and the caller's slot even if the transport never disposes it.
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _observer.OnCompleted();
            _leave(this);
        }
    }
}
