using Gateway.Paging;
using Gateway.Upstream;

namespace Gateway.GraphQL.Types;

/// <summary>The resolved page: its items with their list positions, and what pageInfo needs.</summary>
public sealed class InstanceConnection
{
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

    public IReadOnlyList<InstanceEdge> Edges { get; }

    public int TotalCount { get; }

    public bool HasPreviousPage { get; }

    public bool HasNextPage { get; }
}

/// <summary>An item and its position; its cursor is encoded only if a query asks for it.</summary>
public sealed record InstanceEdge(int Position, QualityTaskInstance Node, ulong QueryFingerprint)
{
    public Cursor Cursor => new(Position, QueryFingerprint, Node.Id);
}
