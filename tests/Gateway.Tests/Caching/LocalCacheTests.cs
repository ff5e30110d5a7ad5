using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gateway.Caching;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Caching;

/// <summary>
/// The in-process level under a small Cache:MemoryLimitBytes: it never holds more than the
/// limit, the least valuable entries go first, expired ones go without any traffic, and every
/// eviction is counted by reason.
/// </summary>
public sealed class LocalCacheTests
{
    private const long Limit = 1024 * 1024;

    [Fact]
    public async Task Past_the_limit_the_least_recently_used_blocks_go_first_none_is_turned_away_and_each_is_counted()
    {
        using var metrics = new Evictions();
        using var local = CacheEntrySizeTests.NewLocalCache(Limit, metrics.Meters);
        var block = CacheEntrySizeTests.NewBlock(100, 16);
        var fits = (int)(Limit / CacheEntrySizes.Block(Key(0), block));
        var older = fits / 2;

        for (var i = 0; i < older; i++)
        {
            Keep(local, Key(i), block);
        }

        // The first ten are used again: of the older half, only they are recently used now.
        for (var i = 0; i < 10; i++)
        {
            Assert.True(local.TryGet(Key(i), out InstanceBlock? _));
        }

        for (var i = older; i < fits + 8; i++)
        {
            Keep(local, Key(i), block);
        }

        var gone = Enumerable.Range(0, fits + 8).Where(i => !local.TryGet(Key(i), out InstanceBlock? _)).ToArray();
        Assert.NotEmpty(gone);
        Assert.Equal(Enumerable.Range(10, gone.Length), gone);
        await metrics.UntilAsync(("block", "capacity"), atLeast: gone.Length);
    }

    [Fact]
    public async Task A_callers_entity_list_goes_with_its_last_block_and_never_before_it()
    {
        using var metrics = new Evictions();
        using var local = CacheEntrySizeTests.NewLocalCache(Limit, metrics.Meters);
        // Without Redis:Configuration: the disabled gate, as the gateway composes it.
        var configuration = new ConfigurationBuilder().Build();
        using var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<GatewayMetrics>().AddSingleton<IConfiguration>(configuration)
            .AddRedisGate(configuration).BuildServiceProvider();

        // A clock that stands still: only the memory limit may drop a list here, never its age.
        var entities = new InstanceEntityCache(local, services.GetRequiredService<RedisGate>(), Options.Create(new CacheOptions()), Options.Create(new SingleFlightOptions()), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var block = CacheEntrySizeTests.NewBlock(100, 16);
        var callers = (int)(Limit / CacheEntrySizes.Block(Key(0), block)) + 8;

        for (var i = 0; i < callers; i++)
        {
            Keep(local, Key(i), block);
            await entities.RecordAsync(Caller(i), Key(i), block.Items, CancellationToken.None);
        }

        var held = Enumerable.Range(0, callers).Where(i => local.TryGet(Key(i), out InstanceBlock? _)).ToArray();
        Assert.InRange(held.Length, 1, callers - 1);

        // Every caller whose block is held resolves its instances; the lists of the others went
        // with their blocks (dropped on the eviction callback's thread, so waited for).
        await Until(() => local.Count == 2 * held.Length, $"{held.Length} blocks and as many lists left of {local.Count} entries");
        foreach (var i in Enumerable.Range(0, callers))
        {
            var found = await entities.FindAsync(Caller(i), block.Items[7].Id, CancellationToken.None);
            Assert.Equal(held.Contains(i), found is not null);
        }

        Assert.Equal(0, metrics.Count(("entities", "capacity")));
    }

    [Fact]
    public async Task A_full_cache_warns_once_per_five_minutes_and_counts_every_eviction()
    {
        using var metrics = new Evictions();
        using var logs = new CapturingLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var local = CacheEntrySizeTests.NewLocalCache(Limit, metrics.Meters, time, logging.CreateLogger<LocalCache>());
        var block = CacheEntrySizeTests.NewBlock(100, 16);
        var fits = (int)(Limit / CacheEntrySizes.Block(Key(0), block));
        int Warnings() => logs.Lines.Count(line => line.Contains("The in-process cache is full", StringComparison.Ordinal));
        async Task<long> FillAsync(int from)
        {
            for (var i = from; i < from + fits; i++)
            {
                Keep(local, Key(i), block);
            }

            var evicted = metrics.Count(("block", "capacity")) + 1;
            await metrics.UntilAsync(("block", "capacity"), atLeast: evicted);
            return evicted;
        }

        // Two rounds of evictions within five minutes: every one counted, one warning.
        await FillAsync(0);
        await FillAsync(fits);
        await Until(() => Warnings() >= 1, "the full cache was not reported");
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        await FillAsync(2 * fits);
        Assert.Equal(1, Warnings());

        // Five minutes after the first, the next eviction warns again.
        time.Advance(TimeSpan.FromTicks(1));
        await FillAsync(3 * fits);
        await Until(() => Warnings() >= 2, "the still-full cache was not reported again after five minutes");
        Assert.Equal(2, Warnings());
    }

    [Fact]
    public async Task Expired_entries_go_without_any_request_and_are_counted_as_expired()
    {
        using var metrics = new Evictions();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var local = CacheEntrySizeTests.NewLocalCache(Limit, metrics.Meters, time);
        var block = CacheEntrySizeTests.NewBlock(10, 16);
        local.Set("short-lived-1", block, CacheEntrySizes.Block("short-lived-1", block), TimeSpan.FromMilliseconds(50), CacheItemPriority.Normal, LocalEntryKind.Block);
        local.Set("short-lived-2", block, CacheEntrySizes.Block("short-lived-2", block), TimeSpan.FromMilliseconds(50), CacheItemPriority.Normal, LocalEntryKind.Entities);

        // Count and EstimatedBytes read without looking entries up, so only the sweep can drop them.
        // The entries expire on MemoryCache's own (real) clock; the sweep's timer runs on the
        // cache's TimeProvider, stepped here by one sweep interval per look.
        await Until(
            () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return local.Count == 0 && local.EstimatedBytes == 0;
            },
            "the sweep dropped the expired entries");
        await metrics.UntilAsync(("block", "expired"), atLeast: 1);
        await metrics.UntilAsync(("entities", "expired"), atLeast: 1);
        Assert.DoesNotContain(metrics.Reasons, reason => reason == "capacity");
    }

    private static string Caller(int i) => $"caller-{i:D4}";

    private static string Key(int i) => $"qg1:block:{{{Caller(i)}}}:p1:0000000000000000000000000000000:100:0";

    /// <summary>
    /// Keeps the block, and finds it kept: the entry that takes the cache past 95 % of its limit
    /// compacts it first, so a stream of new entries is never turned away.
    /// </summary>
    private static void Keep(LocalCache local, string key, InstanceBlock block)
    {
        local.Set(key, block, CacheEntrySizes.Block(key, block), TimeSpan.FromMinutes(5), CacheItemPriority.Normal, LocalEntryKind.Block);
        Assert.True(local.TryGet(key, out InstanceBlock? _), $"{key} was turned away");
        Assert.InRange(local.EstimatedBytes, 0, local.LimitBytes);
    }

    private static Task Until(Func<bool> condition, string what) =>
        Eventually.UntilAsync(() => Task.FromResult(condition()), TimeSpan.FromSeconds(10), what);

    /// <summary>gateway.cache.evictions of one LocalCache's meter, by (kind, reason).</summary>
    private sealed class Evictions : IDisposable
    {
        private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        private readonly ConcurrentDictionary<(string Kind, string Reason), long> _counts = new();
        private readonly MeterListener _listener = new();

        public Evictions()
        {
            Meters = _services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "gateway.cache.evictions" && ReferenceEquals(instrument.Meter.Scope, Meters))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                var all = tags.ToArray().ToDictionary(tag => tag.Key, tag => (string)tag.Value!);
                Assert.Equal(["kind", "reason"], all.Keys.Order(StringComparer.Ordinal));
                _counts.AddOrUpdate((all["kind"], all["reason"]), value, (_, total) => total + value);
            });
            _listener.Start();
        }

        public IMeterFactory Meters { get; }

        public IEnumerable<string> Reasons => _counts.Keys.Select(key => key.Reason);

        public long Count((string Kind, string Reason) key) => _counts.GetValueOrDefault(key);

        public Task UntilAsync((string Kind, string Reason) key, long atLeast) =>
            Until(() => _counts.GetValueOrDefault(key) >= atLeast, $"{atLeast} evictions {key}");

        public void Dispose()
        {
            _listener.Dispose();
            _services.Dispose();
        }
    }
}
