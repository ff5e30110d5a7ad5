using System.ComponentModel.DataAnnotations;

namespace Gateway.Paging;

/// <summary>Page sizes and cursor signing (section <c>Paging</c>).</summary>
public sealed class PagingOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Paging";

    /// <summary>Page size when a query passes neither first nor last. Default: 10; 1 to 100; at most <see cref="MaxPageSize"/>.</summary>
    [Range(1, 100)]
    public int DefaultPageSize { get; set; } = 10;

    /// <summary>Largest first/last accepted; more is PAGE_SIZE_EXCEEDED. Default: 100; 1 to 100.</summary>
    [Range(1, 100)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Key that authenticates cursors (at least 16 characters). Every replica must share it so
    /// that any replica can continue any cursor. Empty: a random key per process, logged as a
    /// warning, and cursors then die with the process. With Redis and no secret, the replicas
    /// agree on a random key through Redis. Default: empty.
    /// </summary>
    public string? CursorSecret { get; set; }
}

/// <summary>The generated validator of <see cref="PagingOptions"/>.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class PagingOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<PagingOptions>;
