using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>
/// What an in-process cache entry keeps alive on the heap, estimated from its content, so that
/// Cache:MemoryLimitBytes means bytes. HybridCache weighs its own L1 entries by their serialized
/// length instead, about half of what a block of instances takes as objects, which is why the
/// blocks are not kept in HybridCache's L1 (see InstanceBlockCache).
/// </summary>
/// <remarks>
/// The layouts are those of 64-bit .NET: every object has an 8-byte header and an 8-byte method
/// table pointer and is 8-byte aligned. A unit test holds the estimate to the bytes the runtime
/// actually allocates for the same content (CacheEntrySizeTests).
/// </remarks>
public static class CacheEntrySizes
{
    /// <summary>
    /// What MemoryCache keeps per entry besides key and value: its CacheEntry, the eviction
    /// callback's list and the dictionary node (280 bytes, measured by CacheEntrySizeTests), and
    /// the entry's share of the dictionary's bucket array (8 to 16 bytes).
    /// </summary>
    public const long EntryOverhead = 296;

    private const long ObjectHeader = 16;

    // InstanceBlock: Count (4), FetchedAt (DateTimeOffset, 16), Items (8), HoldsUnfinishedRuns (1).
    private const long BlockObject = ObjectHeader + 32;

    // QualityTaskInstance: Id, Name, TaskId (8 each), three enums (4 each, padded to 16) and
    // StartTime, EndTime (DateTimeOffset?, 24 each).
    private const long InstanceObject = ObjectHeader + 88;

    /// <summary>A block as InstanceBlockCache keeps it: the entry, its key, the block, its item array, every instance and its name.</summary>
    public static long Block(string key, InstanceBlock block)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(block);
        var size = EntryOverhead + String(key) + BlockObject + ReferenceArray(block.Items.Count);
        foreach (var item in block.Items)
        {
            size += InstanceObject + String(item.Name);
        }

        return size;
    }

    /// <summary>
    /// A .NET string: header, length, UTF-16 characters and a terminating zero. The empty string
    /// is one shared instance (what JSON readers return for ""), so it weighs nothing.
    /// </summary>
    public static long String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? 0 : Align(ObjectHeader + 4 + (2L * (value.Length + 1)));
    }

    /// <summary>An array of references: header, length (padded to 8) and one pointer per element.</summary>
    public static long ReferenceArray(int length) => ObjectHeader + 8 + (8L * length);

    /// <summary>A small object: header and fields, at least 24 bytes, 8-byte aligned.</summary>
    public static long Object(long fieldBytes) => Math.Max(24, Align(ObjectHeader + fieldBytes));

    private static long Align(long bytes) => (bytes + 7) & ~7L;
}
