namespace Gateway.Paging;

/// <summary>
/// What an edge cursor says: the item's offset in the list, which list (a fingerprint of
/// project + filter), and the item's id, so a later page can tell whether the list has moved.
/// </summary>
public readonly record struct Cursor(int Offset, ulong QueryFingerprint, long ItemId);
