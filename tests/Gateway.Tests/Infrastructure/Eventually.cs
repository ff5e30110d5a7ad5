namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Waits for something another process does (a replica, redis-server) until it is so, bounded.
/// No clock can be steered across a process boundary, so this is the suite's one polling loop.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>True as soon as <paramref name="condition"/> holds; false once <paramref name="bound"/> has passed without it.</summary>
    public static async Task<bool> HoldsAsync(Func<Task<bool>> condition, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + bound;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            // The suite's one poll pause: what it waits for runs on a clock no test steers
            // (redis-server's, a replica's, MemoryCache's expiry and its callback threads).
            await Task.Delay(PollInterval);
        }

        return true;
    }

    /// <summary>Returns when <paramref name="condition"/> holds; fails the test with <paramref name="failure"/> after <paramref name="bound"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan bound, string failure)
    {
        if (!await HoldsAsync(condition, bound))
        {
            throw new TimeoutException($"Within {bound}, {failure}.");
        }
    }
}
