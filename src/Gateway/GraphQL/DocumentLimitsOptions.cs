using System.ComponentModel.DataAnnotations;

namespace Gateway.GraphQL;

/// <summary>
/// What one GraphQL document may ask for. The defaults admit every IDE's introspection query
/// and a few full pages; they refuse documents that would fan out into many upstream calls.
/// </summary>
public sealed class DocumentLimitsOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "GraphQL";

    /// <summary>Deepest selection nesting (introspection needs about 13). Default: 15; 1 to 100.</summary>
    [Range(1, 100)]
    public int MaxDepth { get; set; } = 15;

    /// <summary>
    /// Most cost, where a list counts as its page size (first/last) times its items' fields:
    /// a full page of 100 instances with every field costs a little over 1,000. Default: 5000; 1 to 10,000,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MaxComplexity { get; set; } = 5_000;

    /// <summary>Most field selections written in the document (fragments counted once). Default: 500; 1 to 100,000.</summary>
    [Range(1, 100_000)]
    public int MaxFields { get; set; } = 500;

    /// <summary>Most aliased fields: each alias of qualityTaskInstances is another fan-out. Default: 20; 0 to 10,000.</summary>
    [Range(0, 10_000)]
    public int MaxAliases { get; set; } = 20;

    /// <summary>Time one operation may run before it answers with a timeout error. Default: 30 s; 100 ms to 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ExecutionTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reuse parsed and validated documents (see <see cref="ValidatedDocumentCache"/>). Off only
    /// to measure what it saves, or to rule it out when chasing a bug. Default: true.
    /// </summary>
    public bool CacheDocuments { get; set; } = true;

    /// <summary>Answer __schema and __type; IDEs and codegen need it, some deployments turn it off. Default: true.</summary>
    public bool Introspection { get; set; } = true;
}

/// <summary>The generated validator of <see cref="DocumentLimitsOptions"/>.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class DocumentLimitsOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<DocumentLimitsOptions>;
