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
    // Returns {1, 0} when the call may go ahead (and records it), else {0, ms until a permit frees up}.
    private const string TakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], now, ARGV[3])
          redis.call('PEXPIRE', KEYS[1], window)
          return {1, 0}
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {0, tonumber(oldest[2]) + window - now}
        """;

    private static readonly IDisposable NoRelease = new Permit();

    /// <summary>Runs the script once at start-up, so the first real call does not pay for loading it.</summary>
    public Task WarmUpAsync(CancellationToken cancellationToken) =>
        gate.WarmUpAsync("budget", database => database.ScriptEvaluateAsync(TakeScript, [gate.Keys.Budget("warm-up")], [1000L, 1_000_000, "warm-up"]), cancellationToken);

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
                async database => (RedisResult[])(await database.ScriptEvaluateAsync(TakeScript, [key], [(long)budget.Window.TotalMilliseconds, budget.PermitLimit, Guid.NewGuid().ToString("N")]))!,
                cancellationToken);
            if (!reply.Answered)
            {
                return await local.AcquireAsync(credentials, cancellationToken);
            }

            if ((int)reply.Value[0] == 1)
            {
                return NoRelease;
            }

            // Queue briefly: wait for the oldest call to leave the window, if that fits.
            var wait = TimeSpan.FromMilliseconds(Math.Max(1, (long)reply.Value[1]));
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
