using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>The GraphQL-over-HTTP endpoint: what a request may carry, and how long an answer is reused (section <c>Http</c>).</summary>
public sealed class GraphQLHttpOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Http";

    /// <summary>Largest POST body read, in bytes; more is refused (413) before any parsing. Default: 262144 (256 KiB); 1 KiB to 64 MiB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most operations accepted in one JSON-array batch. Default: 10; 1 to 100.</summary>
    [Range(1, 100)]
    public int MaxBatchSize { get; set; } = 10;

    /// <summary>
    /// How long a serialized response may be served again to the same caller for the same
    /// request (same bytes, same media type); never past the freshness of the blocks it was built
    /// from. Default: 1 s; 0 (reuse off) to 1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ResponseTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Memory the reusable responses may take, in bytes (response and request bytes counted). Default: 33554432 (32 MiB); 0 to 16 GiB.</summary>
    [Range(0, 1L << 34)]
    public long ResponseCacheBytes { get; set; } = 32L * 1024 * 1024;
}

/// <summary>The generated validator of <see cref="GraphQLHttpOptions"/>.</summary>
[OptionsValidator]
public sealed partial class GraphQLHttpOptionsValidator : IValidateOptions<GraphQLHttpOptions>;
