using System.ComponentModel.DataAnnotations;

namespace Gateway.Http;

public sealed class GraphQLHttpOptions
{
    public const string Section = "GraphQL";

    /// <summary>Largest POST body read; more is rejected before any parsing.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most operations accepted in one JSON-array batch.</summary>
    [Range(1, 100)]
    public int MaxBatchSize { get; set; } = 10;
}

[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class GraphQLHttpOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<GraphQLHttpOptions>;
