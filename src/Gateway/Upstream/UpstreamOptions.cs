using System.ComponentModel.DataAnnotations;

namespace Gateway.Upstream;

public sealed class UpstreamOptions
{
    public const string Section = "Upstream";

    /// <summary>
    /// The DataArts Studio endpoint, e.g. https://dataarts.cn-north-4.myhuaweicloud.com. Empty:
    /// the gateway hosts the emulator in-process and calls that.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Used when a query names no projectId.</summary>
    public string? DefaultProjectId { get; set; }

    /// <summary>Time allowed for one attempt of an upstream call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one upstream call with all its retries; past it, UPSTREAM_TIMEOUT.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(12);

    public UpstreamRetryOptions Retry { get; set; } = new();

    public UpstreamCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    public UpstreamBudgetOptions Budget { get; set; } = new();
}

/// <summary>Retries of GETs that failed with 5xx, a timeout or a broken connection; never 4xx.</summary>
public sealed class UpstreamRetryOptions
{
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; it doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A 429 is retried after its Retry-After only if that is at most this long; otherwise UPSTREAM_RATE_LIMITED.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Stops calling an upstream that keeps failing, and tries again by itself.</summary>
public sealed class UpstreamCircuitBreakerOptions
{
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The upstream allows about 40 calls per user per 10 s. The gateway keeps each caller within
/// that itself, queueing briefly, rather than provoking 429s.
/// </summary>
public sealed class UpstreamBudgetOptions
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 40;

    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may wait for budget before it is UPSTREAM_RATE_LIMITED.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);
}
