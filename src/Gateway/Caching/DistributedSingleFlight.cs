using System.Diagnostics;
using Gateway.Telemetry;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

public sealed class SingleFlightOptions
{
    public const string Section = "Cache:SingleFlight";

    /// <summary>
    /// How long a replica's claim on a cold block lives if it never releases it (it crashed).
    /// Longer than Upstream:Deadline, so a slow but live fetch is never duplicated.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a waiting replica looks for the holder's result in Redis.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.001", "00:00:05")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(25);
}

/// <summary>
/// One upstream call per cold block across all replicas: HybridCache already coalesces the
/// callers inside a process; this coalesces the processes. The first replica claims the block
/// with a short-lease lock in Redis, fetches it, publishes it to Redis and releases the claim;
/// the others poll Redis for the result. If the holder dies, its lease runs out and the next
/// replica claims the block; a waiter that cannot get a result within the lease fetches itself.
/// Without Redis (or while it is unreachable) every replica simply fetches.
/// </summary>
public sealed class DistributedSingleFlight(IServiceProvider services, GatewayMetrics metrics, IOptions<RedisOptions> redis, IOptions<SingleFlightOptions> options, TimeProvider time)
{
    // Claims the block unless it is already in Redis, in one round trip: the check covers a
    // holder that published and released between this replica's cache miss and its claim.
    // KEYS[1] the claim, KEYS[2] the block (one slot: the block key is a hash tag).
    private const string ClaimScript = """
        if redis.call('exists', KEYS[2]) == 1 then return 2 end
        if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
        return 0
        """;

    private const int Claimed = 1;
    private const int Published = 2;

    // Deletes the claim only if it is still ours: a claim that expired and was taken over by
    // another replica must not be released by the one that lost it.
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private readonly RedisConnection? _connection = services.GetService<RedisConnection>();

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
        if (refresh || _connection is not { IsConnected: true } connection)
        {
            return await fetchAndPublish(cancellationToken);
        }

        var database = (await connection.GetAsync()).GetDatabase();
        var blockKey = new RedisKey(redis.Value.InstanceName + key);
        var lockKey = blockKey.Append(":flight");
        var claim = Guid.NewGuid().ToString("N");
        var lease = (long)options.Value.Lease.TotalMilliseconds;
        var giveUpAt = time.GetUtcNow() + options.Value.Lease;
        while (time.GetUtcNow() < giveUpAt)
        {
            int outcome;
            var claimStarted = Stopwatch.GetTimestamp();
            try
            {
                outcome = (int)await database.ScriptEvaluateAsync(ClaimScript, [lockKey, blockKey], [claim, lease]);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // No coordination without Redis; fetching is always correct, only less frugal.
                return await fetchAndPublish(cancellationToken);
            }

            if (outcome == Claimed)
            {
                metrics.ColdBlockStep(ColdBlockStep.Claim, Stopwatch.GetElapsedTime(claimStarted));
                try
                {
                    return await fetchAndPublish(cancellationToken);
                }
                finally
                {
                    Release(database, lockKey, claim);
                }
            }

            // Published, or being fetched by another replica.
            if (await readShared(cancellationToken) is { } shared)
            {
                return shared;
            }

            // In Redis but not readable from here: the cache is backing off a struggling Redis,
            // the read timed out, or the entry expired a moment ago. Waiting would not change
            // the first two, so this replica fetches.
            if (outcome == Published)
            {
                return await fetchAndPublish(cancellationToken);
            }

            await Task.Delay(options.Value.PollInterval, time, cancellationToken);
        }

        return await fetchAndPublish(cancellationToken);
    }

    // Nobody waits for the release: the block is already in Redis, where the waiting replicas
    // look for it, so the request does not pay a round trip for it. Sent after the publish on
    // the same connection, so Redis runs it after the publish; if it is lost, the lease expires.
    // The asynchronous API: the synchronous one may block this thread on the connection's
    // write lock, even for a command whose reply nobody reads.
    private static void Release(IDatabase database, RedisKey lockKey, string claim)
    {
        try
        {
            _ = database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [claim], CommandFlags.FireAndForget);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The lease expires by itself.
        }
    }
}
