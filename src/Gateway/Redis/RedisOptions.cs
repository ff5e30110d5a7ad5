using System.ComponentModel.DataAnnotations;

namespace Gateway.Redis;

/// <summary>The shared Redis, and how much a slow or missing one may cost (section <c>Redis</c>).</summary>
public sealed class RedisOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string, e.g. "redis:6379", "r1:6379,r2:6379" (Cluster)
    /// or "s1:26379,serviceName=mymaster" (Sentinel). Empty (the default): the cache is in memory
    /// only and every replica coordinates alone.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Prefix of every key, so one Redis can serve several deployments. Default: "quality-gateway:".</summary>
    public string InstanceName { get; set; } = "quality-gateway:";

    /// <summary>Time allowed to (re)connect, and for the start-up warm-up; a Redis that is down must not hold requests up. Default: 1 s; 50 ms to 1 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time allowed for one cache read or write before the request goes on without it. Default: 250 ms; 10 ms to 30 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Time allowed for the Redis commands that coordinate replicas (the shared upstream budget,
    /// single-flight claims). Longer than a cache read may wait: giving up on them too early
    /// would let replicas each count the budget alone. Default: 1 s; 10 ms to 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan CoordinationTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After three failures in a row, Redis is left alone this long before one operation probes
    /// it; each failed probe doubles the wait, up to <see cref="MaxFailureBackoff"/>. Also the
    /// first delay of the client's reconnection attempts. Default: 500 ms; 10 ms to 1 min; at
    /// most <see cref="MaxFailureBackoff"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The longest Redis is left alone (and the longest pause between reconnection attempts):
    /// how long the cache may stay away from a Redis that has recovered without the client
    /// noticing (a promoted Cluster replica reached without a redirect). Short, because only
    /// one operation per wait probes: a stalled Redis costs one operation timeout per wait.
    /// Default: 2 s; 10 ms to 10 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>The generated validator of <see cref="RedisOptions"/>.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class RedisOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<RedisOptions>;
