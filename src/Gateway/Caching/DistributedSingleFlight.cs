using System.Diagnostics;
using Gateway.Redis;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// One upstream call per cold block across all replicas: HybridCache already coalesces the
/// callers inside a process; this coalesces the processes. One round trip looks the block up in
/// Redis and, when it is not there, claims it with a short lease and takes the caller's budget
/// permit; the replica that claimed it
/// renews the lease while it fetches, answers as soon as the block is parsed, then publishes
/// the block to Redis and only then releases the claim. The others wait on the claim, polling
/// with the same script (which returns the block once it is there), so a replica asked
/// meanwhile never calls the upstream for it. A claim lives
/// only while its holder works on it: if the holder dies, its lease runs out within
/// Cache:SingleFlight:Lease and the next waiter claims the block and fetches it. A waiter whose
/// holder lives but never publishes fetches itself after Cache:SingleFlight:MaxWait.
/// Without Redis (or while it is unreachable) every replica simply fetches.
/// </summary>
public sealed partial class DistributedSingleFlight(RedisGate gate, RedisBlockStore blocks, GatewayMetrics metrics, IOptions<SingleFlightOptions> options, IOptions<UpstreamOptions> upstream, TimeProvider time, ILogger<DistributedSingleFlight> logger)
{
    // The cold block's one round trip before the upstream. KEYS (one slot: all carry the
    // caller's hash tag, see RedisKeys): [1] the published block (RedisBlockStore), [2] the
    // claim, [3] the caller's budget, [4] the caller's pending publishes. ARGV: [1] claim id,
    // [2] lease ms, [3] budget window ms, [4] permit limit, [5] permit id. Returns {0, block}
    // when the block is published; {1, holder} when another replica holds the claim; {2, wait}
    // when this one claimed it: wait 0 means the permit is taken too, else the ms until one
    // frees up.
    private const string ClaimScript = """
        local stored = redis.call('get', KEYS[1])
        if stored then return {0, stored} end
        redis.call('set', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX')
        local holder = redis.call('get', KEYS[2])
        if holder ~= ARGV[1] then return {1, holder} end
        redis.call('incr', KEYS[4])
        redis.call('pexpire', KEYS[4], ARGV[2])
        local budget, window, limit, permitId = KEYS[3], tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
        """ + "\n" + RedisUpstreamBudget.TakePermitLua + "\nreturn {2, permit}";

    // Extends the claim only if it is still ours; 0 when it expired (and may have been taken over).
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

    // Deletes the claim only if it is still ours (a claim that expired and was taken over must
    // not be released by the replica that lost it), and counts the publish as done.
    private const string ReleaseScript = """
        if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
        if (tonumber(redis.call('get', KEYS[2])) or 0) > 0 then redis.call('decr', KEYS[2]) end
        return 1
        """;

    /// <summary>
    /// The block from Redis when it is published there, from <paramref name="fetch"/> when this
    /// replica holds the claim (published by <paramref name="publish"/> after it is returned),
    /// else from Redis once the holder has published it.
    /// </summary>
    /// <param name="key">The block's cache key.</param>
    /// <param name="callerKey">Whose block it is: the claim takes this caller's budget permit.</param>
    /// <param name="fetch">The upstream call; its argument says whether the caller's permit is already taken.</param>
    /// <param name="publish">Writes the fetched block to Redis; runs after the block is returned, while the claim is held.</param>
    /// <param name="refresh">A refresh (Cache-Control: no-cache, a stale block) wants the upstream's answer now, not the copy in Redis, so it fetches without coordination.</param>
    /// <param name="cancellationToken">The request's.</param>
    public async ValueTask<InstanceBlock> RunAsync(
        string key,
        string callerKey,
        Func<bool, CancellationToken, ValueTask<InstanceBlock>> fetch,
        Func<InstanceBlock, Task> publish,
        bool refresh,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        if (refresh || !gate.IsEnabled)
        {
            return await FetchThenPublishAsync(fetch, publish, cancellationToken);
        }

        var claim = new Claim(gate.Keys.Claim(key), gate.Keys.PendingPublishes(callerKey), Guid.NewGuid().ToString("N"));
        RedisKey[] keys = [blocks.Key(key), claim.Key, gate.Keys.Budget(callerKey), claim.Pending];
        var budget = upstream.Value.Budget;
        string? holder = null;
        var giveUpAt = DateTimeOffset.MaxValue;
        while (true)
        {
            var claimStarted = Stopwatch.GetTimestamp();
            RedisValue[] arguments = [claim.Id, (long)options.Value.Lease.TotalMilliseconds, (long)budget.Window.TotalMilliseconds, budget.PermitLimit, Guid.NewGuid().ToString("N")];
            var reply = await gate.RunAsync(RedisTraffic.Coordination, "claim", async database => (RedisResult[])(await database.ScriptEvaluateAsync(ClaimScript, keys, arguments))!, cancellationToken);
            if (!reply.Answered)
            {
                // No coordination without Redis; fetching is always correct, only less frugal.
                return await FetchThenPublishAsync(fetch, publish, cancellationToken);
            }

            var state = (int)reply.Value[0];
            if (state == 0)
            {
                // Published. A value this version cannot read counts as absent: waiting would
                // not change it, so this replica fetches (and its publish replaces it).
                return blocks.Decode((byte[])reply.Value[1]!) ?? await FetchThenPublishAsync(fetch, publish, cancellationToken);
            }

            if (state == 2)
            {
                metrics.ColdBlockStep(ColdBlockStep.Claim, Stopwatch.GetElapsedTime(claimStarted));

                // No permit in the window right now: the fetch queues for one as any call does.
                var permitTaken = (long)reply.Value[1] == 0;
                return await FetchUnderClaimAsync(claim, token => fetch(permitTaken, token), publish, cancellationToken);
            }

            // Being fetched by another replica: the next round of the script returns the block
            // as soon as it is published. Each holder gets the whole wait: one that took over
            // from a dead holder starts its fetch late, and must not be duplicated for that.
            var current = (string?)reply.Value[1];
            if (current != holder)
            {
                holder = current;
                giveUpAt = time.GetUtcNow() + options.Value.MaxWait;
            }
            else if (time.GetUtcNow() >= giveUpAt)
            {
                return await FetchThenPublishAsync(fetch, publish, cancellationToken);
            }

            await Task.Delay(options.Value.PollInterval, time, cancellationToken);
        }
    }

    private async ValueTask<InstanceBlock> FetchThenPublishAsync(Func<bool, CancellationToken, ValueTask<InstanceBlock>> fetch, Func<InstanceBlock, Task> publish, CancellationToken cancellationToken)
    {
        var block = await fetch(false, cancellationToken);

        // Publishing only writes to Redis: without it there is nothing to hand off.
        if (gate.IsEnabled)
        {
            _ = PublishAsync(publish, block, claim: null, renewal: null);
        }

        return block;
    }

    private async ValueTask<InstanceBlock> FetchUnderClaimAsync(Claim claim, Func<CancellationToken, ValueTask<InstanceBlock>> fetch, Func<InstanceBlock, Task> publish, CancellationToken cancellationToken)
    {
        var renewal = new CancellationTokenSource();
        _ = RenewAsync(claim, renewal.Token);
        InstanceBlock block;
        try
        {
            block = await fetch(cancellationToken);
        }
        catch
        {
            await renewal.CancelAsync();
            renewal.Dispose();
            Release(claim);
            throw;
        }

        // Answered now; published after, still under the claim, so a replica asked meanwhile
        // waits on the claim and reads the block the moment it lands.
        _ = PublishAsync(publish, block, claim, renewal);
        return block;
    }

    private async Task PublishAsync(Func<InstanceBlock, Task> publish, InstanceBlock block, Claim? claim, CancellationTokenSource? renewal)
    {
        try
        {
            // Off the answer's thread before anything runs: serializing the block and its
            // instances and writing them to Redis's socket would otherwise happen before the
            // page is answered, since an async method runs synchronously to its first wait.
            await Task.Yield();
            await publish(block);
        }
        catch (Exception exception)
        {
            // Redis failures are no-ops in the gate; this is anything else (a serializer bug).
            // The answer went out already; the block is simply not shared.
            LogPublishFailed(logger, exception);
        }
        finally
        {
            if (renewal is not null)
            {
                await renewal.CancelAsync();
                renewal.Dispose();
            }

            if (claim is not null)
            {
                Release(claim);
            }
        }
    }

    /// <summary>
    /// Keeps the claim alive while this replica fetches and publishes: every RenewInterval its
    /// lease is extended to a full Lease again. Stops when the publish ends or the claim is lost
    /// (it expired under a stalled process and may have been taken over); the fetch goes on either
    /// way, and its result is published all the same.
    /// </summary>
    private async Task RenewAsync(Claim claim, CancellationToken stop)
    {
        var lease = (long)options.Value.Lease.TotalMilliseconds;
        using var timer = new PeriodicTimer(options.Value.RenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                // No reply: tried again at the next tick; if Redis stays away the claim expires,
                // and a replica that can still reach Redis may fetch the block too.
                var renewed = await gate.RunAsync(RedisTraffic.Coordination, "renew", async database => (long)await database.ScriptEvaluateAsync(RenewScript, [claim.Key], [claim.Id, lease]), stop);
                if (renewed is { Answered: true, Value: 0 })
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The publish is over.
        }
    }

    // Nobody waits for the release: the block is in Redis by now, where the waiting replicas
    // look for it. Sent after the publish completed, so Redis runs it after the publish; if it
    // is lost, the lease (and the pending count's expiry) ends it.
    private void Release(Claim claim) =>
        gate.Send("release", database => database.ScriptEvaluateAsync(ReleaseScript, [claim.Key, claim.Pending], [claim.Id], CommandFlags.FireAndForget));

    [LoggerMessage(Level = LogLevel.Error, Message = "A fetched block could not be published to Redis; other replicas fetch it themselves.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    /// <summary>This replica's claim: its key, the caller's pending-publish count, and the id that proves it is ours.</summary>
    private sealed record Claim(RedisKey Key, RedisKey Pending, string Id);
}
