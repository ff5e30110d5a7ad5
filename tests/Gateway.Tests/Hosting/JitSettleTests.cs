using Gateway.Tests.Infrastructure;
using Gateway.Warmup;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Hosting;

/// <summary>
/// Readiness's wait for the JIT after the warm-up pass (Warmup:JitSettleLimit), on a steered
/// clock and a steered count of compiled methods: it ends once the JIT has been quiet for three
/// samples in a row, and at the limit when it never is.
/// </summary>
public sealed class JitSettleTests
{
    [Fact]
    public async Task The_wait_ends_once_the_JIT_has_been_quiet_for_three_samples()
    {
        // Busy for five samples (100 new methods each), then two a sample.
        var (waited, compiled) = await SampleAsync(TimeSpan.FromSeconds(30), sample => sample <= 5 ? 100 : 2);

        Assert.Equal(JitSettle.Sample * 8, waited);
        Assert.Equal(506, compiled);
    }

    [Fact]
    public async Task A_JIT_that_never_goes_quiet_holds_readiness_back_no_longer_than_the_limit()
    {
        var (waited, compiled) = await SampleAsync(TimeSpan.FromSeconds(1), _ => 50);

        Assert.Equal(TimeSpan.FromSeconds(1), waited);
        Assert.Equal(500, compiled);
    }

    [Fact]
    public async Task No_limit_no_wait()
    {
        var settle = new JitSettle(new FakeTimeProvider(), () => throw new InvalidOperationException("the count must not be read"));

        Assert.Equal((TimeSpan.Zero, 0L), await settle.WaitAsync(TimeSpan.Zero, CancellationToken.None));
    }

    /// <summary>Runs the wait, advancing the clock one sample at a time once the previous sample was read; <paramref name="newMethods"/> says how many methods each sample finds.</summary>
    private static async Task<(TimeSpan Waited, long Compiled)> SampleAsync(TimeSpan limit, Func<int, long> newMethods)
    {
        var time = new FakeTimeProvider();
        long compiled = 0;
        var reads = 0;
        var settle = new JitSettle(time, () =>
        {
            Interlocked.Increment(ref reads);
            return Interlocked.Read(ref compiled);
        });

        // The first read is taken before the first sample, synchronously.
        var wait = settle.WaitAsync(limit, CancellationToken.None);
        for (var sample = 1; sample <= 1000 && !wait.IsCompleted; sample++)
        {
            Interlocked.Add(ref compiled, newMethods(sample));
            time.Advance(JitSettle.Sample);
            var expected = sample + 1;
            await Eventually.UntilAsync(() => Task.FromResult(wait.IsCompleted || Volatile.Read(ref reads) >= expected), TimeSpan.FromSeconds(10), $"sample {sample} was never read");
        }

        return await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
