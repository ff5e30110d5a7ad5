namespace QualityApi.Emulator;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its algorithm, unlike System.Random,
/// whose sequence for a given seed is not a documented contract across .NET versions.
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, maxExclusive); the 128-bit multiply keeps the bias negligible without loops.</summary>
    public long NextInt64(long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (long)(ulong)(((UInt128)NextUInt64() * (ulong)maxExclusive) >> 64);
    }

    public long NextInt64(long minInclusive, long maxExclusive) => minInclusive + NextInt64(maxExclusive - minInclusive);

    /// <summary>Picks an index with probability proportional to its weight.</summary>
    public int NextWeighted(ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        var roll = NextInt64(total);
        for (var i = 0; i < weights.Length; i++)
        {
            roll -= weights[i];
            if (roll < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
