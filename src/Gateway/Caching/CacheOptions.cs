using System.ComponentModel.DataAnnotations;

namespace Gateway.Caching;

public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long a fetched block is served before the upstream is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Shorter freshness for blocks holding RUNNING or SUSPENDING instances, whose status is
    /// about to change.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan VolatileTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound for the in-process copy. Keeps replicas close to Redis: a refresh on one
    /// replica reaches the others within this time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan LocalTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stale-while-revalidate: for this long after a block stops being fresh (Cache:Ttl), it is
    /// still answered at once while one replica fetches it again in the background, so a user
    /// who comes back after the TTL does not wait for the upstream. Past it, the upstream is
    /// asked before answering, as without it. Zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StaleTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The same bound for blocks holding RUNNING or SUSPENDING instances, after Cache:VolatileTtl:
    /// short, because their statuses are about to change. Never more than Cache:StaleTtl.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan VolatileStaleTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a serialized response may be served again to the same caller for the same
    /// request (same bytes, same media type). Never past the freshness of the blocks it was
    /// built from; zero turns response reuse off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ResponseTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Memory the reusable responses may take, in bytes (response and request bytes counted).</summary>
    [Range(0, 1L << 34)]
    public long ResponseCacheBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Bytes the in-process copies of blocks and the entity lists that point into them may take
    /// on the heap, as estimated from their content (see CacheEntrySizes). When full, the least
    /// recently used entries make room. Without it, every distinct caller seen within the TTL
    /// stayed in memory: a burst of 40,000 callers took a replica to 1 GB.
    /// </summary>
    [Range(typeof(long), "1048576", "1099511627776", ErrorMessage = "Cache:MemoryLimitBytes must be between {1} (1 MB) and {2} (1 TB) bytes.")]
    public long MemoryLimitBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// How long the in-process copy of an entry lives: never longer than the entry itself,
    /// whatever the two settings say.
    /// </summary>
    public TimeSpan EffectiveLocalTtl => Ttl < LocalTtl ? Ttl : LocalTtl;
}

[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class CacheOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<CacheOptions>;
