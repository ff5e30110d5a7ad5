using GraphQL.Validation.Complexity;

namespace Gateway.GraphQL;

/// <summary>
/// Costs a page at what it can fetch. GraphQL.NET multiplies a connection's items by its
/// <c>first</c>/<c>last</c>, but a size the resolver refuses (above Paging:MaxPageSize, or
/// negative) fetches nothing: the resolver answers PAGE_SIZE_EXCEEDED or BAD_USER_INPUT
/// before any upstream call. Taken at face value, <c>first: 5000</c> made a small selection
/// QUERY_TOO_COMPLEX instead of PAGE_SIZE_EXCEEDED, and a negative size made the document's
/// total cost negative, letting other, legitimate pages past the limit.
/// </summary>
public static class PageCost
{
    private static readonly string[] PageSizeArguments = ["first", "last"];

    /// <summary>Wraps GraphQL.NET's impact delegate so a refused page size counts one item instead of its value.</summary>
    /// <param name="impact">The default delegate, which reads <c>first</c>/<c>last</c>.</param>
    /// <param name="maxPageSize">Paging:MaxPageSize: sizes above it (or below 0) are refused by the resolver.</param>
    /// <returns>The delegate to set as the complexity options' default impact.</returns>
    public static Func<FieldImpactContext, FieldComplexityResult> Impact(Func<FieldImpactContext, FieldComplexityResult> impact, int maxPageSize)
    {
        ArgumentNullException.ThrowIfNull(impact);
        return field =>
        {
            var result = impact(field);

            // The default delegate reads the size from the list field or, for a connection's
            // nodes and edges, from its parent: a refused size in either place counts one item.
            return IsRefused(field, maxPageSize) || (field.Parent is { } parent && IsRefused(parent, maxPageSize))
                ? new FieldComplexityResult(result.FieldImpact, 1)
                : result;
        };
    }

    private static bool IsRefused(FieldImpactContext field, int maxPageSize)
    {
        foreach (var name in PageSizeArguments)
        {
            if (field.Arguments?.TryGetValue(name, out var argument) == true && argument.Value is int size && (size < 0 || size > maxPageSize))
            {
                return true;
            }
        }

        return false;
    }
}
