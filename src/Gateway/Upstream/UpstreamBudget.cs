using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>
/// Each caller's share of the upstream's request budget. A call waits up to
/// Budget:MaxQueueWait for a permit; after that it is UPSTREAM_RATE_LIMITED with a
/// Retry-After, and the upstream never sees it.
/// </summary>
public interface IUpstreamBudget
{
    /// <summary>A permit for one upstream call by this caller; dispose it when the call is done.</summary>
    ValueTask<IDisposable> AcquireAsync(UpstreamCredentials credentials, CancellationToken cancellationToken);
}

/// <summary>The budget counted in this process (one replica, or Redis unavailable).</summary>
public sealed class UpstreamBudget : IUpstreamBudget, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly UpstreamBudgetOptions _options;

    /// <summary>A sliding window of Upstream:Budget:PermitLimit calls per Budget:Window for each caller, in ten segments.</summary>
    /// <param name="options">Upstream:Budget is read once here.</param>
    public UpstreamBudget(IOptions<UpstreamOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value.Budget;
        var budget = _options;
        _limiter = PartitionedRateLimiter.Create<string, string>(callerKey => RateLimitPartition.GetSlidingWindowLimiter(callerKey, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = budget.PermitLimit,
            Window = budget.Window,
            SegmentsPerWindow = 10,
            QueueLimit = budget.PermitLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
    }

    /// <inheritdoc />
    public async ValueTask<IDisposable> AcquireAsync(UpstreamCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);

        // A free permit is taken at once, without a timer: the common case. With no queue wait
        // allowed nothing is queued at all: a wait of zero would race the limiter against a
        // token cancelled after zero time, which can refuse a caller with permits left.
        var immediate = _limiter.AttemptAcquire(credentials.CallerKey);
        if (immediate.IsAcquired)
        {
            return immediate;
        }

        if (_options.MaxQueueWait <= TimeSpan.Zero)
        {
            throw Refused(immediate);
        }

        immediate.Dispose();
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_options.MaxQueueWait);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(credentials.CallerKey, 1, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Exhausted(_options, null);
        }

        return lease.IsAcquired ? lease : throw Refused(lease);
    }

    // A refused lease carries how long until a permit frees up: the error's Retry-After.
    private UpstreamException Refused(RateLimitLease lease)
    {
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        lease.Dispose();
        return Exhausted(_options, retryAfter);
    }

    /// <inheritdoc />
    public void Dispose() => _limiter.Dispose();

    /// <summary>The error for a caller whose budget is used up; the same for every way of counting it.</summary>
    public static UpstreamException Exhausted(UpstreamBudgetOptions options, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var seconds = (int)Math.Ceiling((retryAfter is { } known && known > TimeSpan.Zero ? known : options.Window / 10).TotalSeconds);
        return new UpstreamException(
            UpstreamErrorKind.RateLimited,
            $"This caller's upstream budget ({options.PermitLimit} calls per {options.Window.TotalSeconds:0.#} s) is used up; the gateway did not call the upstream.",
            retryAfterSeconds: Math.Max(1, seconds));
    }
}
