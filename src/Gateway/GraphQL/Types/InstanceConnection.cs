using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.GraphQL.Types;

/// <summary>The resolved page: its items with their list positions, and what pageInfo needs.</summary>
public sealed class InstanceConnection
{
    /// <summary>The connection for <paramref name="slice"/>, its cursors tied to one list.</summary>
    /// <param name="slice">The page cut from blocks of one version of the list.</param>
    /// <param name="queryFingerprint">The list's <see cref="InstanceListScope.Fingerprint"/>, written into every cursor.</param>
    public InstanceConnection(PageSlice<QualityTaskInstance> slice, ulong queryFingerprint)
    {
        ArgumentNullException.ThrowIfNull(slice);
        var edges = new InstanceEdge[slice.Items.Count];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = new InstanceEdge(slice.Items[i].Position, slice.Items[i].Item, queryFingerprint);
        }

        Edges = edges;
        TotalCount = slice.Total;
        HasPreviousPage = slice.HasPreviousPage;
        HasNextPage = slice.HasNextPage;
    }

    /// <summary>The page's items in list order, each with its position.</summary>
    public IReadOnlyList<InstanceEdge> Edges { get; }

    /// <summary>The upstream's count of runs matching the query, at the time the page's blocks were fetched (totalCount).</summary>
    public int TotalCount { get; }

    /// <summary>Items exist before the page (pageInfo.hasPreviousPage).</summary>
    public bool HasPreviousPage { get; }

    /// <summary>Items exist after the page (pageInfo.hasNextPage).</summary>
    public bool HasNextPage { get; }
}

/// <summary>An item and its position; its cursor is encoded only if a query asks for it.</summary>
public sealed record InstanceEdge(int Position, QualityTaskInstance Node, ulong QueryFingerprint)
{
    /// <summary>The edge's cursor: its position, the list's fingerprint and the item's id, so a moved item can be found again.</summary>
    public Cursor Cursor => new(Position, QueryFingerprint, Node.Id);
}
