using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Live;

/// <summary>
/// How many of a caller's upstream calls its feeds may make: at most Live:MaxBudgetShare of
/// Upstream:Budget (at least one call per window), over all of the caller's feeds. A poll takes
/// a share before it takes a budget permit, so feeds never queue against the caller's queries
/// for more than their share.
/// </summary>
public interface ILiveBudgetShare
{
    /// <summary>Takes one poll from the caller's share; when none is left, how long until one is.</summary>
    ValueTask<LiveShareGrant> TryTakeAsync(string callerKey, CancellationToken cancellationToken);
}

/// <summary>Whether a poll may go ahead, and if not, how long until the caller's share has room again.</summary>
/// <param name="Granted">True: the poll took one call of the share.</param>
/// <param name="RetryAfter">When <paramref name="Granted"/> is false: until the oldest call in the window leaves it.</param>
public readonly record struct LiveShareGrant(bool Granted, TimeSpan RetryAfter);

/// <summary>The share counted in this process: a sliding window of the caller's recent polls.</summary>
public sealed class InProcessLiveBudgetShare : ILiveBudgetShare
{
    private readonly Dictionary<string, Queue<DateTimeOffset>> _polls = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;

    /// <summary>The share of Upstream:Budget (its PermitLimit and Window) that Live:MaxBudgetShare gives.</summary>
    public InProcessLiveBudgetShare(IOptions<LiveOptions> live, IOptions<UpstreamOptions> upstream, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(upstream);
        _time = time;
        Window = upstream.Value.Budget.Window;
        Permits = PermitsFor(upstream.Value.Budget.PermitLimit, live.Value.MaxBudgetShare);
    }

    /// <summary>Polls allowed per <see cref="Window"/>.</summary>
    public int Permits { get; }

    /// <summary>The budget's window (Upstream:Budget:Window), over which the share is counted.</summary>
    public TimeSpan Window { get; }

    /// <summary>The share in calls: the budget times the share, rounded down, but never none.</summary>
    public static int PermitsFor(int permitLimit, double share) => Math.Max(1, (int)Math.Floor(permitLimit * share));

    /// <inheritdoc />
    public ValueTask<LiveShareGrant> TryTakeAsync(string callerKey, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_polls.TryGetValue(callerKey, out var recent))
            {
                _polls[callerKey] = recent = new Queue<DateTimeOffset>();
            }

            while (recent.Count > 0 && recent.Peek() <= now - Window)
            {
                recent.Dequeue();
            }

            if (recent.Count < Permits)
            {
                recent.Enqueue(now);
                ForgetIdleCallers(now);
                return ValueTask.FromResult(new LiveShareGrant(true, TimeSpan.Zero));
            }

            return ValueTask.FromResult(new LiveShareGrant(false, recent.Peek() + Window - now));
        }
    }

    // Callers whose feeds have ended leave no trace once their window has passed; swept only
    // when there are many, so a poll costs nothing extra in the usual case.
    private void ForgetIdleCallers(DateTimeOffset now)
    {
        if (_polls.Count <= 1024)
        {
            return;
        }

        foreach (var caller in _polls.Where(pair => pair.Value.Count == 0 || pair.Value.Last() <= now - Window).Select(pair => pair.Key).ToList())
        {
            _polls.Remove(caller);
        }
    }
}
