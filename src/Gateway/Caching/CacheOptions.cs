using System.ComponentModel.DataAnnotations;

namespace Gateway.Caching;

public sealed class CacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long a fetched block is served before the upstream is asked again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromSeconds(30);
}
