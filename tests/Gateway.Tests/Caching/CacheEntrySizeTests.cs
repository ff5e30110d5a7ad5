using System.Diagnostics.Metrics;
using Gateway.Caching;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Gateway.Tests.Caching;

/// <summary>
/// Cache:MemoryLimitBytes means bytes only if entries are weighed honestly: the estimate of a
/// block is held to what the runtime allocates for the very same objects, and the per-entry
/// overhead to what MemoryCache allocates per entry.
/// </summary>
public sealed class CacheEntrySizeTests(ITestOutputHelper output)
{
    private const string Key = "qg1:block:{7602c4a1e0f04b5b9a4c7d2e8f1a3b5c7602c4a1e0f04b5b9a4c7d2e8f1a3b5c}:p1:ee68c449a2b14c3d9e8f7a6b5c4d3e2f:100:0";

    [Theory]
    [InlineData(100, 0)]
    [InlineData(100, 12)]
    [InlineData(100, 40)]
    [InlineData(37, 200)]
    [InlineData(0, 0)]
    public void A_block_weighs_what_the_runtime_allocates_for_its_objects(int items, int nameLength)
    {
        _ = NewBlock(1, 1); // JIT and the runtime's one-time allocations happen outside the measurement.

        var before = GC.GetAllocatedBytesForCurrentThread();
        var block = NewBlock(items, nameLength);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        var content = CacheEntrySizes.Block(Key, block) - CacheEntrySizes.EntryOverhead - CacheEntrySizes.String(Key);
        output.WriteLine($"{items} items, names of {nameLength}: estimated {content} B, allocated {allocated} B");
        Assert.Equal(allocated, content);
        GC.KeepAlive(block);
    }

    [Fact]
    public void A_string_weighs_what_the_runtime_allocates_for_it()
    {
        foreach (var length in new[] { 1, 2, 3, 4, 5, 64, 117 })
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var text = new string('k', length);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(allocated, CacheEntrySizes.String(text));
        }
    }

    [Fact]
    public void The_entry_overhead_is_what_MemoryCache_allocates_per_entry()
    {
        // Measured past 20,000 entries, where the cache's dictionary has grown to room for about
        // 32,000 and does not resize again during the measurement: what is allocated then is
        // what each entry keeps (its CacheEntry, callback list and dictionary node).
        const int Warm = 20_000, Measured = 5_000;
        using var local = NewLocalCache(1L << 30);
        var keys = Enumerable.Range(0, Warm + Measured).Select(i => $"overhead-{i:D6}").ToArray();
        var value = NewBlock(1, 1);
        foreach (var key in keys.AsSpan(0, Warm))
        {
            local.Set(key, value, 1, TimeSpan.FromMinutes(5), CacheItemPriority.Normal, LocalEntryKind.Block);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var key in keys.AsSpan(Warm))
        {
            local.Set(key, value, 1, TimeSpan.FromMinutes(5), CacheItemPriority.Normal, LocalEntryKind.Block);
        }

        var perEntry = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)Measured;
        output.WriteLine($"MemoryCache allocated {perEntry:0.0} B per entry; the estimate counts {CacheEntrySizes.EntryOverhead} B (with the dictionary's buckets)");
        Assert.Equal(Warm + Measured, local.Count);
        Assert.InRange(CacheEntrySizes.EntryOverhead, perEntry, perEntry + 32);
    }

    [Fact]
    public void Longer_names_weigh_more_two_bytes_a_character()
    {
        var short_ = CacheEntrySizes.Block(Key, NewBlock(100, 16));
        var long_ = CacheEntrySizes.Block(Key, NewBlock(100, 48));

        Assert.Equal(100 * 32 * 2, long_ - short_);
    }

    internal static LocalCache NewLocalCache(long limitBytes, IMeterFactory? meters = null, TimeProvider? time = null, ILogger<LocalCache>? logger = null) => new(
        Options.Create(new CacheOptions { MemoryLimitBytes = limitBytes }),
        new GatewayMetrics(meters ?? new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        time ?? new FakeTimeProvider(DateTimeOffset.UtcNow),
        logger ?? NullLogger<LocalCache>.Instance);

    /// <summary>A block built the way the upstream client builds one: a fresh name string per instance, an array of instances.</summary>
    internal static InstanceBlock NewBlock(int items, int nameLength, QualityRunStatus status = QualityRunStatus.Success)
    {
        var instances = new QualityTaskInstance[items];
        for (var i = 0; i < items; i++)
        {
            instances[i] = new QualityTaskInstance(
                1_000_000_000_000_000_000 + i,
                new string((char)('a' + (i % 26)), nameLength),
                42,
                QualityTaskType.QualityTask,
                status,
                QualityNotifyStatus.NotTriggered,
                DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000 + i),
                i % 2 == 0 ? DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_060_000 + i) : null);
        }

        return new InstanceBlock(1234, DateTimeOffset.UnixEpoch, instances);
    }
}
