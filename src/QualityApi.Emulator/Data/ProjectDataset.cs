using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace QualityApi.Emulator;

/// <summary>
/// One project's instances, newest first (start_time desc, then id desc). Readers take the
/// current array without locking; <see cref="InsertAtHead"/> publishes a new array, so a
/// page is always cut from one consistent snapshot.
/// </summary>
internal sealed class ProjectDataset
{
    /// <summary>
    /// 2025-11-17T00:00:00Z, the date of the documentation page. A fixed instant instead of the
    /// clock, so the same seed gives the same data on any day.
    /// </summary>
    public const long ReferenceTimeMs = 1_763_337_600_000;

    private const long SpanMs = 60L * 86_400_000;

    // Batch schedules fire several rules in the same second, so equal start times are real.
    private const int TiePercent = 7;

    private static readonly Comparison<QualityInstance> NewestFirst = (a, b) =>
        b.StartTime != a.StartTime ? b.StartTime.CompareTo(a.StartTime) : b.Id.CompareTo(a.Id);

    private readonly Lock gate = new();
    private readonly InstanceFactory factory;
    private QualityInstance[] items;

    private ProjectDataset(InstanceFactory factory, QualityInstance[] items)
    {
        this.factory = factory;
        this.items = items;
    }

    public ImmutableArray<QualityInstance> Items => ImmutableCollectionsMarshal.AsImmutableArray(Volatile.Read(ref items));

    /// <param name="runningOnlyInNewest">0: unfinished runs anywhere; N: only among the newest N (older ones settled).</param>
    public static ProjectDataset Generate(string projectId, int seed, int count, int runningOnlyInNewest = 0)
    {
        var factory = new InstanceFactory(new SplitMix64(StableSeed(projectId, seed)));
        var random = factory.Random;
        var averageGapMs = Math.Max(1000, SpanMs / Math.Max(count, 1));
        var items = new QualityInstance[count];
        var startMs = ReferenceTimeMs - WholeSeconds(random.NextInt64(averageGapMs));
        for (var i = 0; i < count; i++)
        {
            items[i] = factory.Create(startMs);
            if (random.NextInt64(100) >= TiePercent)
            {
                startMs -= Math.Max(1000, WholeSeconds(random.NextInt64(2 * averageGapMs)));
            }
        }

        Array.Sort(items, NewestFirst);

        // Settled after the draw above, so the rest of the data set is the same in either shape.
        if (runningOnlyInNewest > 0)
        {
            for (var i = runningOnlyInNewest; i < items.Length; i++)
            {
                items[i] = factory.Settle(items[i]);
            }
        }

        return new ProjectDataset(factory, items);
    }

    /// <summary>Adds instances strictly newer than every existing one, so they land at offset 0.</summary>
    public int InsertAtHead(int count)
    {
        lock (gate)
        {
            var current = items;
            var startMs = current.Length > 0 ? current[0].StartTime : ReferenceTimeMs;
            var added = new QualityInstance[count];
            for (var i = 0; i < count; i++)
            {
                startMs += 1000 * factory.Random.NextInt64(1, 120);
                added[i] = factory.Create(startMs);
            }

            Array.Sort(added, NewestFirst);
            Volatile.Write(ref items, [.. added, .. current]);
            return current.Length + count;
        }
    }

    /// <summary>Starts one run now: an instance newer than every existing one, at offset 0, with the given status.</summary>
    public QualityInstance Append(string runStatus, long nowMs)
    {
        lock (gate)
        {
            var current = items;

            // Now, in whole seconds as the upstream gives them, but always after the head.
            var startMs = Math.Max(nowMs / 1000 * 1000, (current.Length > 0 ? current[0].StartTime : ReferenceTimeMs) + 1000);
            var added = factory.Create(startMs) with { RunStatus = runStatus, NotifyStatus = "NOT_TRIGGERED", EndTime = startMs };
            Volatile.Write(ref items, [added, .. current]);
            return added;
        }
    }

    /// <summary>Replaces one instance in place (same position); null when the id is not in the data set.</summary>
    public QualityInstance? Update(long id, Func<QualityInstance, QualityInstance> change)
    {
        lock (gate)
        {
            var current = items;
            var index = Array.FindIndex(current, item => item.Id == id);
            if (index < 0)
            {
                return null;
            }

            var next = (QualityInstance[])current.Clone();
            next[index] = change(current[index]) with { Id = id, StartTime = current[index].StartTime };
            Volatile.Write(ref items, next);
            return next[index];
        }
    }

    // SHA-256 rather than string.GetHashCode, which is randomized per process.
    private static ulong StableSeed(string projectId, int seed)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(projectId));
        return BinaryPrimitives.ReadUInt64LittleEndian(hash) ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
    }

    private static long WholeSeconds(long ms) => ms / 1000 * 1000;
}
