using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>Apollo's Automatic Persisted Queries, section <c>PersistedQueries</c>.</summary>
public sealed class PersistedQueryOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "PersistedQueries";

    /// <summary>Accept Automatic Persisted Queries (a document sent once, then by its SHA-256 hash). Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a registered document is kept after it was last registered. Default: 1 day; 1 s to 30 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>The generated validator of <see cref="PersistedQueryOptions"/>.</summary>
[OptionsValidator]
public sealed partial class PersistedQueryOptionsValidator : IValidateOptions<PersistedQueryOptions>;
