using System.Diagnostics;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// One upstream call per cold block across all replicas: HybridCache already coalesces the
/// callers inside a process; this coalesces the processes. The first replica claims the block
/// in Redis with a short lease, renews the lease while it fetches, publishes the block to Redis
/// and releases the claim; the others poll Redis for the result. A claim therefore lives only
/// while its holder works on it: if the holder dies, its lease runs out within
/// Cache:SingleFlight:Lease and the next waiter claims the block and fetches it. A waiter whose
/// holder lives but never publishes fetches itself after Cache:SingleFlight:MaxWait.
/// Without Redis (or while it is unreachable) every replica simply fetches.
/// </summary>
public sealed class DistributedSingleFlight(RedisGate gate, GatewayMetrics metrics, IOptions<SingleFlightOptions> options, TimeProvider time)
{
    // Claims the block unless it is already in Redis, in one round trip: the check covers a
    // holder that published and released between this replica's cache miss and its claim.
    // Returns nil when the block is published, else the claim's holder (ARGV[1]: claimed now).
    // KEYS[1] the claim, KEYS[2] the block (one slot: the block key is a hash tag). KEYS[2] is
    // where HybridCache's Redis level puts the entry (RedisKeys.CacheEntry, a layout that is
    // the library's, so RedisKeyLayoutTests pins it).
    private const string ClaimScript = """
        if redis.call('exists', KEYS[2]) == 1 then return false end
        redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')
        return redis.call('get', KEYS[1])
        """;

    // Extends the claim only if it is still ours; 0 when it expired (and may have been taken over).
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    // Deletes the claim only if it is still ours: a claim that expired and was taken over by
    // another replica must not be released by the one that lost it.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    /// <summary>
    /// The block from <paramref name="fetchAndPublish"/> when this replica holds the claim,
    /// else from <paramref name="readShared"/> once the holder has published it.
    /// </summary>
    /// <remarks>
    /// A refresh (Cache-Control: no-cache, a stale block) wants the upstream's answer now,
    /// not the copy in Redis, so it fetches without coordination.
    /// </remarks>
    public async ValueTask<InstanceBlock> RunAsync(
        string key,
        Func<CancellationToken, ValueTask<InstanceBlock>> fetchAndPublish,
        Func<CancellationToken, ValueTask<InstanceBlock?>> readShared,
        bool refresh,
        CancellationToken cancellationToken)
    {
        if (refresh || !gate.IsConnected)
        {
            return await fetchAndPublish(cancellationToken);
        }

        var blockKey = gate.Keys.CacheEntry(key);
        var lockKey = gate.Keys.Claim(key);
        var claim = Guid.NewGuid().ToString("N");
        var lease = (long)options.Value.Lease.TotalMilliseconds;
        string? holder = null;
        var giveUpAt = DateTimeOffset.MaxValue;
        while (true)
        {
            var claimStarted = Stopwatch.GetTimestamp();
            var reply = await gate.RunAsync(RedisTraffic.Coordination, "claim", async database => (string?)await database.ScriptEvaluateAsync(ClaimScript, [lockKey, blockKey], [claim, lease]), cancellationToken);
            if (!reply.Answered)
            {
                // No coordination without Redis; fetching is always correct, only less frugal.
                return await fetchAndPublish(cancellationToken);
            }

            var current = reply.Value;
            if (current == claim)
            {
                metrics.ColdBlockStep(ColdBlockStep.Claim, Stopwatch.GetElapsedTime(claimStarted));
                return await FetchUnderClaimAsync(lockKey, claim, fetchAndPublish, cancellationToken);
            }

            // Published, or being fetched by another replica.
            if (await readShared(cancellationToken) is { } shared)
            {
                return shared;
            }

            // In Redis but not readable from here: the cache is backing off a struggling Redis,
            // the read timed out, or the entry expired a moment ago. Waiting would not change
            // the first two, so this replica fetches.
            if (current is null)
            {
                return await fetchAndPublish(cancellationToken);
            }

            // Each holder gets the whole wait: one that took over from a dead holder starts
            // its fetch late, and must not be duplicated for that.
            if (current != holder)
            {
                holder = current;
                giveUpAt = time.GetUtcNow() + options.Value.MaxWait;
            }
            else if (time.GetUtcNow() >= giveUpAt)
            {
                return await fetchAndPublish(cancellationToken);
            }

            await Task.Delay(options.Value.PollInterval, time, cancellationToken);
        }
    }

    private async ValueTask<InstanceBlock> FetchUnderClaimAsync(RedisKey lockKey, string claim, Func<CancellationToken, ValueTask<InstanceBlock>> fetchAndPublish, CancellationToken cancellationToken)
    {
        using var renewal = new CancellationTokenSource();
        _ = RenewAsync(lockKey, claim, renewal.Token);
        try
        {
            return await fetchAndPublish(cancellationToken);
        }
        finally
        {
            // Not awaited: a renewal still on its way is harmless (after the release it finds
            // no claim of ours to extend), and the answer must not wait for it.
            await renewal.CancelAsync();
            Release(lockKey, claim);
        }
    }

    /// <summary>
    /// Keeps the claim alive while this replica fetches: every RenewInterval its lease is
    /// extended to a full Lease again. Stops when the fetch ends or the claim is lost (it
    /// expired under a stalled process and may have been taken over); the fetch goes on either
    /// way, and its result is published all the same.
    /// </summary>
    private async Task RenewAsync(RedisKey lockKey, string claim, CancellationToken stop)
    {
        var lease = (long)options.Value.Lease.TotalMilliseconds;
        using var timer = new PeriodicTimer(options.Value.RenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // No reply: tried again at the next tick; if Redis stays away the claim expires,
                // and a replica that can still reach Redis may fetch the block too.
                var renewed = await gate.RunAsync(RedisTraffic.Coordination, "renew", async database => (long)await database.ScriptEvaluateAsync(RenewScript, [lockKey], [claim, lease]), stop);
                if (renewed is { Answered: true, Value: 0 })
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The fetch is over.
        }
    }

    // Nobody waits for the release: the block is already in Redis, where the waiting replicas
    // look for it, so the request does not pay a round trip for it. Sent after the publish on
    // the same connection, so Redis runs it after the publish; if it is lost, the lease expires.
    private void Release(RedisKey lockKey, string claim) =>
        gate.Send("release", database => database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [claim], CommandFlags.FireAndForget));
}
