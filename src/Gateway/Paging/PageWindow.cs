namespace Gateway.Paging;

/// <summary>A run of list positions, [Offset, Offset + Size).</summary>
public readonly record struct PageWindow(int Offset, int Size)
{
    /// <summary>The first position after the window (exclusive end).</summary>
    public int End => Offset + Size;
}

/// <summary>The aligned upstream blocks that cover a window: indices First..Last inclusive.</summary>
public readonly record struct BlockRange(int First, int Last)
{
    /// <summary>How many blocks the range spans, at least 1.</summary>
    public int Count => Last - First + 1;
}
