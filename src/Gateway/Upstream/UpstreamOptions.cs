using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

/// <summary>The DataArts Quality API the gateway calls, and how it calls it (section <c>Upstream</c>).</summary>
public sealed class UpstreamOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Upstream";

    /// <summary>
    /// The DataArts Studio endpoint, e.g. https://dayu.cn-north-4.myhuaweicloud.com. Wins over
    /// <see cref="Region"/>. With neither, the gateway runs only in Development (against the
    /// embedded emulator) or when <see cref="UseEmulator"/> asks for the emulator on purpose.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// A Huawei Cloud region, e.g. cn-north-4: the base URL becomes
    /// https://dayu.{region}.myhuaweicloud.com, DataArts Studio's endpoint in that region.
    /// </summary>
    [RegularExpression("^[a-z]{2,}(-[a-z]+)+-[0-9]+$", ErrorMessage = "The field {0} must be a Huawei Cloud region id such as cn-north-4.")]
    public string? Region { get; set; }

    /// <summary>
    /// Serve the built-in emulator's synthetic data in-process instead of calling DataArts
    /// Studio, outside Development too (demos, tests). Never together with a base URL or region.
    /// </summary>
    public bool UseEmulator { get; set; }

    /// <summary>Used when a query names no projectId (against the emulator: <see cref="EmulatorDefaultProjectId"/>).</summary>
    public string? DefaultProjectId { get; set; }

    /// <summary>Time allowed for one attempt of an upstream call. Default: 5 s; 50 ms to 5 min; at most <see cref="Deadline"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one upstream call with all its retries; past it, UPSTREAM_TIMEOUT. Default: 12 s; 100 ms to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Retries of failed GETs (section <c>Upstream:Retry</c>).</summary>
    [ValidateObjectMembers]
    public UpstreamRetryOptions Retry { get; set; } = new();

    /// <summary>When to stop calling a failing upstream (section <c>Upstream:CircuitBreaker</c>).</summary>
    [ValidateObjectMembers]
    public UpstreamCircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Each caller's share of the upstream (section <c>Upstream:Budget</c>).</summary>
    [ValidateObjectMembers]
    public UpstreamBudgetOptions Budget { get; set; } = new();

    /// <summary>The project a query without projectId reads when the gateway serves the emulator and none is configured.</summary>
    public const string EmulatorDefaultProjectId = "demo-project";

    /// <summary>The base URL that <see cref="Region"/> stands for.</summary>
    public static Uri RegionBaseUrl(string region) => new($"https://dayu.{region}.myhuaweicloud.com/");
}

/// <summary>Checks every Upstream:* setting, nested sections included (generated from the attributes).</summary>
[OptionsValidator]
public sealed partial class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>;

/// <summary>Retries of GETs that failed with 5xx, a timeout or a broken connection; never 4xx.</summary>
public sealed class UpstreamRetryOptions
{
    /// <summary>Retries after the first attempt. Default: 2; 0 (no retries) to 10.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First backoff; it doubles per retry, with jitter. Default: 200 ms; 0 to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A 429 is retried after its Retry-After only if that is at most this long; otherwise UPSTREAM_RATE_LIMITED. Default: 3 s; 0 to 1 min; shorter than <see cref="UpstreamOptions.Deadline"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Stops calling an upstream that keeps failing, and tries again by itself.</summary>
public sealed class UpstreamCircuitBreakerOptions
{
    /// <summary>Share of failed calls within <see cref="SamplingDuration"/> that opens the circuit. Default: 0.5; 0.01 to 1.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="SamplingDuration"/> before the ratio counts at all. Default: 10; at least 2.</summary>
    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The window the failure ratio is measured over. Default: 30 s; 500 ms to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit answers UPSTREAM_UNAVAILABLE at once before one call tries again. Default: 10 s; 500 ms to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// The upstream allows about 40 calls per user per 10 s. The gateway keeps each caller within
/// that itself, queueing briefly, rather than provoking 429s.
/// </summary>
public sealed class UpstreamBudgetOptions
{
    /// <summary>Upstream calls one caller (token and workspace) may make per <see cref="Window"/>, across all replicas with Redis. Default: 40; at least 1.</summary>
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 40;

    /// <summary>The sliding window <see cref="PermitLimit"/> counts over. Default: 10 s; 100 ms to 1 h.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a call may wait for budget before it is UPSTREAM_RATE_LIMITED. Default: 2 s; 0 to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxQueueWait { get; set; } = TimeSpan.FromSeconds(2);
}
