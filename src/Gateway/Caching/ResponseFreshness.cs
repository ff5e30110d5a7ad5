namespace Gateway.Caching;

/// <summary>
/// How long the data of one response stays fresh: the earliest moment one of the blocks it was
/// cut from goes stale, or "never reuse" when a resolver read something that cannot be dated
/// (federation entities). Resolvers of one request may run concurrently, so it is lock-free.
/// </summary>
public sealed class ResponseFreshness
{
    private long _freshUntilTicks = long.MaxValue;
    private int _reusable = 1;

    /// <summary>False once anything was read whose freshness is not known.</summary>
    public bool IsReusable => Volatile.Read(ref _reusable) == 1;

    /// <summary>The earliest expiry seen, or null when no block was read (e.g. introspection only).</summary>
    public DateTimeOffset? FreshUntil
    {
        get
        {
            var ticks = Volatile.Read(ref _freshUntilTicks);
            return ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>A block was read that stays fresh until <paramref name="freshUntil"/>; the response keeps the earliest such moment.</summary>
    public void Observe(DateTimeOffset freshUntil)
    {
        var ticks = freshUntil.UtcTicks;
        var current = Volatile.Read(ref _freshUntilTicks);
        while (ticks < current)
        {
            var seen = Interlocked.CompareExchange(ref _freshUntilTicks, ticks, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Something was read that cannot be dated (a federation entity): the response must not be reused at all.</summary>
    public void MarkNotReusable() => Volatile.Write(ref _reusable, 0);
}
