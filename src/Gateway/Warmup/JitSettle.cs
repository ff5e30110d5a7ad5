namespace Gateway.Warmup;

/// <summary>
/// Waits, after the warm-up pass, for the JIT to finish promoting what the pass made hot. Those
/// tier-1 compiles run on the runtime's one background thread: about 3,000 methods after the
/// pass, some 3 s on two cores, and until they are done the hot path runs slower code while the
/// compiler takes a core from the first users (docs/performance.md, "Full speed seconds after
/// start"). Waiting trades a later ready for faster first seconds (measured, not steady: most
/// runs gained, some did not); bounded by Warmup:JitSettleLimit, so a JIT that never goes quiet
/// cannot hold readiness back.
/// </summary>
/// <param name="time">The clock the samples are taken on.</param>
/// <param name="compiledMethods">How many methods the JIT has compiled so far; the runtime's own count unless a test steers it.</param>
public sealed class JitSettle(TimeProvider time, Func<long>? compiledMethods = null)
{
    /// <summary>How often the JIT's count is read.</summary>
    public static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(100);

    // Quiet: fewer new methods than this in each of QuietSamples samples in a row. Not zero: a
    // process that serves nothing still compiles the odd method (timers, health checks).
    private const long QuietPerSample = 5;
    private const int QuietSamples = 3;

    private readonly Func<long> _compiledMethods = compiledMethods ?? (() => System.Runtime.JitInfo.GetCompiledMethodCount());

    /// <summary>Returns once the JIT has gone quiet or <paramref name="limit"/> has passed, with how long it waited and how many methods were compiled meanwhile.</summary>
    /// <param name="limit">The longest wait; zero or less: none.</param>
    /// <param name="cancellationToken">Ends the wait when the host stops.</param>
    public async Task<(TimeSpan Waited, long Compiled)> WaitAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        if (limit <= TimeSpan.Zero)
        {
            return (TimeSpan.Zero, 0);
        }

        var started = time.GetTimestamp();
        using var timer = new PeriodicTimer(Sample, time);
        var first = _compiledMethods();
        var last = first;
        var quiet = 0;
        while (quiet < QuietSamples && time.GetElapsedTime(started) < limit && await timer.WaitForNextTickAsync(cancellationToken))
        {
            var now = _compiledMethods();
            quiet = now - last < QuietPerSample ? quiet + 1 : 0;
            last = now;
        }

        return (time.GetElapsedTime(started), last - first);
    }
}
