using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>
/// Each caller's share of the upstream's request budget, counted in this process. A call
/// waits up to Budget:MaxQueueWait for a permit; after that it is UPSTREAM_RATE_LIMITED with
/// a Retry-After, and the upstream never sees it.
/// </summary>
public sealed class UpstreamBudget : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;
    private readonly UpstreamBudgetOptions _options;

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

    public async ValueTask<RateLimitLease> AcquireAsync(UpstreamCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(_options.MaxQueueWait);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(credentials.CallerKey, 1, wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Exhausted(null);
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter);
        lease.Dispose();
        throw Exhausted(retryAfter);
    }

    public void Dispose() => _limiter.Dispose();

    private UpstreamException Exhausted(TimeSpan? retryAfter)
    {
        var seconds = (int)Math.Ceiling((retryAfter is { } known && known > TimeSpan.Zero ? known : _options.Window / 10).TotalSeconds);
        return new UpstreamException(
            UpstreamErrorKind.RateLimited,
            $"This caller's upstream budget ({_options.PermitLimit} calls per {_options.Window.TotalSeconds:0.#} s) is used up; the gateway did not call the upstream.",
            retryAfterSeconds: Math.Max(1, seconds));
    }
}
