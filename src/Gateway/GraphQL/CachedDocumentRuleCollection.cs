using GraphQL.Validation;

namespace Gateway.GraphQL;

/// <summary>
/// The rules <see cref="ValidatedDocumentCache"/> runs again on a document that already passed
/// every rule: its type tells <see cref="CachedDocumentValidator"/> that what depends on the
/// text alone was checked, so the per-operation work it keeps may be used. Any other list of
/// rules is validated by GraphQL.NET unchanged.
/// </summary>
public sealed class CachedDocumentRuleCollection : List<IValidationRule>
{
    /// <summary>An empty collection with room for the few rules a cached document can need.</summary>
    public CachedDocumentRuleCollection()
        : base(3)
    {
    }
}
