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
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a waiting replica looks for the holder's result in Redis.</summary>
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
public sealed class DistributedSingleFlight(IServiceProvider services, IOptions<RedisOptions> redis, IOptions<SingleFlightOptions> options, TimeProvider time)
{
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
        var lockKey = new RedisKey(redis.Value.InstanceName + key + ":flight");
        var claim = Guid.NewGuid().ToString("N");
        var giveUpAt = time.GetUtcNow() + options.Value.Lease;
        while (time.GetUtcNow() < giveUpAt)
        {
            bool claimed;
            try
            {
                claimed = await database.StringSetAsync(lockKey, claim, options.Value.Lease, When.NotExists);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // No coordination without Redis; fetching is always correct, only less frugal.
                return await fetchAndPublish(cancellationToken);
            }

            if (claimed)
            {
                try
                {
                    // Double-checked: the previous holder may have published and released
                    // between this replica's cache miss and its claim.
                    return await readShared(cancellationToken) ?? await fetchAndPublish(cancellationToken);
                }
                finally
                {
                    await ReleaseAsync(database, lockKey, claim);
                }
            }

            if (await readShared(cancellationToken) is { } shared)
            {
                return shared;
            }

            await Task.Delay(options.Value.PollInterval, time, cancellationToken);
        }

        return await fetchAndPublish(cancellationToken);
    }

    private static async Task ReleaseAsync(IDatabase database, RedisKey lockKey, string claim)
    {
        try
        {
            await database.ScriptEvaluateAsync(ReleaseScript, [lockKey], [claim]);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The lease expires by itself.
        }
    }
}
