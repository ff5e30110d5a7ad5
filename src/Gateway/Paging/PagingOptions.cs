using System.ComponentModel.DataAnnotations;

namespace Gateway.Paging;

public sealed class PagingOptions
{
    public const string Section = "Paging";

    /// <summary>Page size when a query passes neither first nor last.</summary>
    [Range(1, 100)]
    public int DefaultPageSize { get; set; } = 10;

    /// <summary>Largest first/last accepted; more is PAGE_SIZE_EXCEEDED.</summary>
    [Range(1, 100)]
    public int MaxPageSize { get; set; } = 100;

    /// <summary>
    /// Key that authenticates cursors (at least 16 characters). Every replica must share it so
    /// that any replica can continue any cursor. Empty: a random key per process, logged as a
    /// warning, and cursors then die with the process.
    /// </summary>
    public string? CursorSecret { get; set; }
}

[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class PagingOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<PagingOptions>;
