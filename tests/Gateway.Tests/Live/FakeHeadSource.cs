using System.Collections.Concurrent;
using Gateway.Live;
using Gateway.Upstream;

namespace Gateway.Tests.Live;

/// <summary>An upstream head the test writes: what the next polls see, and a count of the polls per list.</summary>
internal sealed class FakeHeadSource : IHeadSource
{
    private readonly ConcurrentDictionary<string, int> _polls = new(StringComparer.Ordinal);
    private volatile IReadOnlyList<QualityTaskInstance> _items = [];
    private volatile Exception? _failure;

    /// <summary>Set to make polls hang until released (a slow upstream).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public int Polls => _polls.Values.Sum();

    public int PollsOf(InstanceListScope scope) => _polls.GetValueOrDefault(scope.FingerprintHex);

    public void Show(params QualityTaskInstance[] items) => (_items, _failure) = (items, null);

    public void Fail(Exception failure) => _failure = failure;

    public async Task<InstanceBlock> FetchHeadAsync(UpstreamCredentials credentials, InstanceListScope scope, CancellationToken cancellationToken)
    {
        _polls.AddOrUpdate(scope.FingerprintHex, 1, (_, count) => count + 1);
        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        if (_failure is { } failure)
        {
            throw failure;
        }

        var items = _items;
        return new InstanceBlock(items.Count, DateTimeOffset.UnixEpoch, items);
    }
}

/// <summary>A subscriber as a transport is one: it records what it is handed, and can be made to read slowly.</summary>
internal sealed class RecordingObserver : IObserver<object?>
{
    private readonly ConcurrentQueue<object?> _events = new();

    /// <summary>Set to make OnNext block (a subscriber that does not read).</summary>
    public ManualResetEventSlim? Stuck { get; set; }

    public IReadOnlyList<object?> Events => [.. _events];

    public IEnumerable<QualityTaskInstanceChange> Changes => Events.OfType<QualityTaskInstanceChange>();

    public IEnumerable<LiveFault> Faults => Events.OfType<LiveFault>();

    public bool Completed { get; private set; }

    public void OnNext(object? value)
    {
        Stuck?.Wait();
        _events.Enqueue(value);
    }

    public void OnError(Exception error) => throw new InvalidOperationException("The feed never ends a stream with OnError.", error);

    public void OnCompleted() => Completed = true;
}
