using System.ComponentModel.DataAnnotations;

namespace Gateway.Caching;

/// <summary>Freshness and memory of the block cache (section <c>Cache</c>).</summary>
public sealed class CacheOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Cache";

    /// <summary>How long a fetched block is served before the upstream is asked again. Default: 30 s; 10 ms to 1 day.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shorter freshness for blocks holding RUNNING or SUSPENDING instances, whose status is
    /// about to change. Default: 5 s; 10 ms to 1 day; at most <see cref="Ttl"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan VolatileTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound for the in-process copy. Keeps replicas close to Redis: a refresh on one
    /// replica reaches the others within this time. Without Redis it is <see cref="Ttl"/>.
    /// Default: 5 s; 10 ms to 1 day; at most <see cref="Ttl"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stale-while-revalidate: for this long after a block stops being fresh (Cache:Ttl), it is
    /// still answered at once while one replica fetches it again in the background, so a user
    /// who comes back after the TTL does not wait for the upstream. Past it, the upstream is
    /// asked before answering, as without it. Zero turns it off. Default: 5 min; 0 to 1 day.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StaleTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The same bound for blocks holding RUNNING or SUSPENDING instances, after Cache:VolatileTtl:
    /// short, because their statuses are about to change. Default: 5 s; 0 to 1 day; never more
    /// than <see cref="StaleTtl"/> in effect.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan VolatileStaleTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes the in-process copies of blocks and the entity lists that point into them may take
    /// on the heap, as estimated from their content (see CacheEntrySizes). When full, the least
    /// recently used entries make room. Without it, every distinct caller seen within the TTL
    /// stayed in memory: a burst of 40,000 callers took a replica to 1 GB. Default: 134217728
    /// (128 MiB); 1 MiB to 1 TiB.
    /// </summary>
    [Range(typeof(long), "1048576", "1099511627776", ErrorMessage = "Cache:MemoryLimitBytes must be between {1} (1 MB) and {2} (1 TB) bytes.")]
    public long MemoryLimitBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// How long the in-process copy of an entry lives: never longer than the entry itself,
    /// whatever the two settings say.
    /// </summary>
    public TimeSpan EffectiveLocalTtl => Ttl < LocalTtl ? Ttl : LocalTtl;
}

/// <summary>The generated validator of <see cref="CacheOptions"/>.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class CacheOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<CacheOptions>;
