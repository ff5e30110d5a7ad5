using Gateway.Paging;
using GraphQL.Types;

namespace Gateway.GraphQL.Types;

// The connection, edge and page-info types are written out rather than taken from
// GraphQL.NET's ConnectionType, whose shape (an "items" field, a nullable totalCount) differs
// from the HotChocolate contract that existing clients are built against.
/// <summary>QualityTaskInstancesConnection: HotChocolate's connection shape (pageInfo, edges, nodes, a non-null totalCount) over one page.</summary>
public sealed class QualityTaskInstancesConnectionGraphType : ObjectGraphType<InstanceConnection>
{
    /// <inheritdoc />
    public QualityTaskInstancesConnectionGraphType()
    {
        Name = "QualityTaskInstancesConnection";
        Description = "A connection to a list of items.";
        Field<NonNullGraphType<PageInfoGraphType>>("pageInfo").Description("Information to aid in pagination.").Resolve(context => context.Source);
        Field<ListGraphType<NonNullGraphType<QualityTaskInstancesEdgeGraphType>>>("edges").Description("A list of edges.").Resolve(context => context.Source.Edges);
        Field<ListGraphType<NonNullGraphType<QualityTaskInstanceGraphType>>>("nodes").Description("A flattened list of the nodes.")
            .Resolve(context => context.Source.Edges.Select(edge => edge.Node));
        Field<NonNullGraphType<IntGraphType>>("totalCount").Description("Identifies the total count of items in the connection.").Resolve(context => context.Source.TotalCount);
    }
}

/// <summary>QualityTaskInstancesEdge: an instance with its cursor, encoded only when selected.</summary>
public sealed class QualityTaskInstancesEdgeGraphType : ObjectGraphType<InstanceEdge>
{
    /// <inheritdoc />
    public QualityTaskInstancesEdgeGraphType(CursorCodec cursors)
    {
        Name = "QualityTaskInstancesEdge";
        Description = "An edge in a connection.";
        Field<NonNullGraphType<StringGraphType>>("cursor").Description("A cursor for use in pagination.").Resolve(context => cursors.Encode(context.Source.Cursor));
        Field<NonNullGraphType<QualityTaskInstanceGraphType>>("node").Description("The item at the end of the edge.").Resolve(context => context.Source.Node);
    }
}

/// <summary>Relay's PageInfo, read from the page itself; start and end cursors are the first and last edge's, null for an empty page.</summary>
public sealed class PageInfoGraphType : ObjectGraphType<InstanceConnection>
{
    /// <inheritdoc />
    public PageInfoGraphType(CursorCodec cursors)
    {
        Name = "PageInfo";
        Description = "Information about pagination in a connection.";
        Field<NonNullGraphType<BooleanGraphType>>("hasNextPage").Description("Indicates whether more edges exist following the set defined by the clients arguments.")
            .Resolve(context => context.Source.HasNextPage);
        Field<NonNullGraphType<BooleanGraphType>>("hasPreviousPage").Description("Indicates whether more edges exist prior the set defined by the clients arguments.")
            .Resolve(context => context.Source.HasPreviousPage);
        Field<StringGraphType>("startCursor").Description("When paginating backwards, the cursor to continue.")
            .Resolve(context => context.Source.Edges.Count == 0 ? null : cursors.Encode(context.Source.Edges[0].Cursor));
        Field<StringGraphType>("endCursor").Description("When paginating forwards, the cursor to continue.")
            .Resolve(context => context.Source.Edges.Count == 0 ? null : cursors.Encode(context.Source.Edges[^1].Cursor));
    }
}
