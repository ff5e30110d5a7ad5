using System.Collections.Concurrent;

namespace Gateway.Live;

/// <summary>
/// Who polls a feed, and how what it finds reaches every process with subscribers of it. A
/// process holding subscribers of a feed joins its fan-out and, every interval, asks for the
/// poll lease: the one process that holds it polls and publishes; every joined process
/// delivers what is published to its own subscribers. In one process the lease is always its
/// own (<see cref="InProcessLiveCoordinator"/>); with Redis one replica holds it cluster-wide.
/// </summary>
public interface ILiveCoordinator
{
    /// <summary>Starts delivering the feed's batches to <paramref name="deliver"/>; dispose to stop.</summary>
    ValueTask<IAsyncDisposable> JoinAsync(LiveFeedKey key, Func<LiveBatch, ValueTask> deliver, CancellationToken cancellationToken);

    /// <summary>Takes or renews the feed's poll lease for <paramref name="ttl"/>; false while another process holds it.</summary>
    ValueTask<bool> HoldLeaseAsync(LiveFeedKey key, TimeSpan ttl, CancellationToken cancellationToken);

    /// <summary>Gives the lease up (the last local subscriber left), so another process may take it at once.</summary>
    ValueTask ReleaseLeaseAsync(LiveFeedKey key);

    /// <summary>Sends one poll's outcome to every joined process, this one included.</summary>
    ValueTask PublishAsync(LiveFeedKey key, LiveBatch batch, CancellationToken cancellationToken);
}

/// <summary>One process: it always holds the lease, and publishing is a direct call.</summary>
public sealed class InProcessLiveCoordinator : ILiveCoordinator
{
    private readonly ConcurrentDictionary<LiveFeedKey, Func<LiveBatch, ValueTask>> _joined = new();

    /// <inheritdoc />
    public ValueTask<IAsyncDisposable> JoinAsync(LiveFeedKey key, Func<LiveBatch, ValueTask> deliver, CancellationToken cancellationToken)
    {
        _joined[key] = deliver;
        return ValueTask.FromResult<IAsyncDisposable>(new Leave(_joined, key, deliver));
    }

    /// <inheritdoc />
    public ValueTask<bool> HoldLeaseAsync(LiveFeedKey key, TimeSpan ttl, CancellationToken cancellationToken) => ValueTask.FromResult(true);

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(LiveFeedKey key) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public ValueTask PublishAsync(LiveFeedKey key, LiveBatch batch, CancellationToken cancellationToken) =>
        _joined.TryGetValue(key, out var deliver) ? deliver(batch) : ValueTask.CompletedTask;

    private sealed class Leave(ConcurrentDictionary<LiveFeedKey, Func<LiveBatch, ValueTask>> joined, LiveFeedKey key, Func<LiveBatch, ValueTask> deliver) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            joined.TryRemove(new KeyValuePair<LiveFeedKey, Func<LiveBatch, ValueTask>>(key, deliver));
            return ValueTask.CompletedTask;
        }
    }
}
