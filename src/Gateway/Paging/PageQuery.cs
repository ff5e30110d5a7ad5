namespace Gateway.Paging;

/// <summary>
/// Validated Relay arguments reduced to list positions: the open range (after, before) and how
/// many items to take from its front (first) or its back (last).
/// </summary>
public sealed class PageQuery
{
    private PageQuery(int lower, int? upper, int take, bool fromEnd)
    {
        Lower = lower;
        Upper = upper;
        Take = take;
        FromEnd = fromEnd;
    }

    /// <summary>First position the page may include (after + 1, or 0).</summary>
    public int Lower { get; }

    /// <summary>First position the page may not include (before), or null for "up to the end".</summary>
    public int? Upper { get; }

    /// <summary>How many items the page holds at most: <c>first</c> or <c>last</c>, else Paging:DefaultPageSize; 0 to Paging:MaxPageSize.</summary>
    public int Take { get; }

    /// <summary>True for <c>last</c>: the page is the tail of the range.</summary>
    public bool FromEnd { get; }

    /// <summary><c>last</c> without <c>before</c> counts back from the end, so it needs the total first.</summary>
    public bool NeedsTotal => FromEnd && Upper is null;

    /// <summary>Validates Relay's four arguments and reduces them to positions.</summary>
    /// <param name="first">Items from the front of the range, or null.</param>
    /// <param name="after">The decoded <c>after</c> cursor, or null.</param>
    /// <param name="last">Items from the back of the range, or null.</param>
    /// <param name="before">The decoded <c>before</c> cursor, or null.</param>
    /// <param name="defaultPageSize">Items to take when neither <paramref name="first"/> nor <paramref name="last"/> is given (Paging:DefaultPageSize).</param>
    /// <param name="maxPageSize">The largest <paramref name="first"/> or <paramref name="last"/> allowed (Paging:MaxPageSize).</param>
    /// <exception cref="PagingException">Both <paramref name="first"/> and <paramref name="last"/>, a negative size (BAD_USER_INPUT), or a size above the maximum (PAGE_SIZE_EXCEEDED).</exception>
    public static PageQuery Create(int? first, Cursor? after, int? last, Cursor? before, int defaultPageSize, int maxPageSize)
    {
        if (first is not null && last is not null)
        {
            throw new PagingException(PagingError.BadArguments, "Pass either 'first' or 'last', not both.");
        }

        CheckSize("first", first, maxPageSize);
        CheckSize("last", last, maxPageSize);

        // Positions come from authenticated cursors, so they are ours; the range is still made
        // safe against overflow rather than trusted.
        var lower = after is { } a ? (int)Math.Min((long)a.Offset + 1, int.MaxValue) : 0;
        int? upper = before?.Offset;
        return last is { } takeLast
            ? new PageQuery(lower, upper, takeLast, fromEnd: true)
            : new PageQuery(lower, upper, first ?? defaultPageSize, fromEnd: false);
    }

    /// <summary>The positions to serve; <paramref name="total"/> is required when <see cref="NeedsTotal"/>.</summary>
    public PageWindow Window(int? total)
    {
        var upper = Upper ?? (FromEnd ? total ?? throw new InvalidOperationException("This page counts from the end and needs the total.") : int.MaxValue);
        upper = Math.Max(upper, Lower);
        var start = FromEnd ? Math.Max(Lower, upper - Take) : Lower;
        var end = FromEnd ? upper : (int)Math.Min((long)start + Take, upper);
        return new PageWindow(start, end - start);
    }

    private static void CheckSize(string name, int? size, int maxPageSize)
    {
        if (size < 0)
        {
            throw new PagingException(PagingError.BadArguments, $"'{name}' must not be negative.");
        }

        if (size > maxPageSize)
        {
            throw new PagingException(PagingError.PageSizeExceeded, $"'{name}' may be at most {maxPageSize}; it was {size}.");
        }
    }
}
