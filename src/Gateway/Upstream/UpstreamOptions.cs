using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Upstream;

public sealed class UpstreamOptions
{
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

    /// <summary>Time allowed for one attempt of an upstream call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time allowed for one upstream call with all its retries; past it, UPSTREAM_TIMEOUT.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(12);

    [ValidateObjectMembers]
    public UpstreamRetryOptions Retry { get; set; } = new();

    [ValidateObjectMembers]
    public UpstreamCircuitBreakerOptions CircuitBreaker { get; set; } = new();

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
