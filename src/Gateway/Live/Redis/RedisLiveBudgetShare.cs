using Gateway.Redis;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Live.Redis;

/// <summary>
/// The callers' live share counted in Redis, so that the feeds of one caller on every replica
/// together stay within Live:MaxBudgetShare: a sliding window per caller on Redis's clock, checked
/// and taken in one script, as the upstream budget is. While Redis gives no answer, each replica
/// counts alone.
/// </summary>
internal sealed class RedisLiveBudgetShare(RedisGate gate, InProcessLiveBudgetShare local) : ILiveBudgetShare
{
    // {1, 0} when the poll may go ahead (and records it), else {0, ms until the oldest leaves the window}.
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

    public async ValueTask<LiveShareGrant> TryTakeAsync(string callerKey, CancellationToken cancellationToken)
    {
        var reply = await gate.RunAsync(
            RedisTraffic.Coordination,
            "live share",
            async database => (RedisResult[])(await database.ScriptEvaluateAsync(TakeScript, [gate.Keys.LiveShare(callerKey)], [(long)local.Window.TotalMilliseconds, local.Permits, Guid.NewGuid().ToString("N")]))!,
            cancellationToken);
        if (!reply.Answered)
        {
            return await local.TryTakeAsync(callerKey, cancellationToken);
        }

        return (int)reply.Value[0] == 1
            ? new LiveShareGrant(true, TimeSpan.Zero)
            : new LiveShareGrant(false, TimeSpan.FromMilliseconds(Math.Max(1, (long)reply.Value[1])));
    }
}
