using Gateway.Redis;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// The per-caller upstream budget counted in Redis, so that all replicas together stay within
/// what the upstream allows one user. A sliding window per caller (a sorted set of call
/// times, on Redis's clock so replicas' clocks do not matter), checked and taken in one atomic
/// script. Without Redis, or while the gate gets no answer, each replica counts alone.
/// </summary>
public sealed class RedisUpstreamBudget(RedisGate gate, UpstreamBudget local, IOptions<UpstreamOptions> upstream, TimeProvider time) : IUpstreamBudget
{
    /// <summary>
    /// Lua that takes one permit from the window at <c>budget</c> (window ms, permit limit, a
    /// unique permit id), leaving in <c>permit</c> 0 when taken, else the ms until one frees up.
    /// Shared with the single-flight claim, which takes the permit in the same round trip.
    /// </summary>
    public const string TakePermitLua = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZREMRANGEBYSCORE', budget, '-inf', now - window)
        local permit = 0
        if redis.call('ZCARD', budget) < limit then
          redis.call('ZADD', budget, now, permitId)
          redis.call('PEXPIRE', budget, window)
        else
          local oldest = redis.call('ZRANGE', budget, 0, 0, 'WITHSCORES')
          permit = math.max(1, tonumber(oldest[2]) + window - now)
        end
        """;

    // Returns 0 when the call may go ahead (and records it), else the ms until a permit frees up.
    private const string TakeScript = """
        local budget, window, limit, permitId = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
        """ + "\n" + TakePermitLua + "\nreturn permit";

    private static readonly IDisposable NoRelease = new Permit();

    /// <summary>Runs the script once at start-up, so the first real call does not pay for loading it.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        gate.WarmUpAsync("budget", database => database.ScriptEvaluateAsync(TakeScript, [gate.Keys.Budget("warm-up")], [1000L, 1_000_000, "warm-up"]), cancellationToken);

    /// <inheritdoc />
    public async ValueTask<IDisposable> AcquireAsync(UpstreamCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (!gate.IsConnected)
        {
            return await local.AcquireAsync(credentials, cancellationToken);
        }

        var budget = upstream.Value.Budget;
        var key = gate.Keys.Budget(credentials.CallerKey);
        var giveUpAt = time.GetUtcNow() + budget.MaxQueueWait;
        while (true)
        {
            var reply = await gate.RunAsync(
                RedisTraffic.Coordination,
                "budget",
                async database => (long)await database.ScriptEvaluateAsync(TakeScript, [key], [(long)budget.Window.TotalMilliseconds, budget.PermitLimit, Guid.NewGuid().ToString("N")]),
                cancellationToken);
            if (!reply.Answered)
            {
                return await local.AcquireAsync(credentials, cancellationToken);
            }

            if (reply.Value == 0)
            {
                return NoRelease;
            }

            // Queue briefly: wait for the oldest call to leave the window, if that fits.
            var wait = TimeSpan.FromMilliseconds(reply.Value);
            if (time.GetUtcNow() + wait > giveUpAt)
            {
                throw UpstreamBudget.Exhausted(budget, wait);
            }

            await Task.Delay(wait, time, cancellationToken);
        }
    }

    // Calls in a sliding window are not handed back: the window forgets them by itself.
    private sealed class Permit : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
