using System.Buffers;
using System.Text.Json;
using Gateway.Redis;
using Gateway.Upstream;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// Blocks in Redis, stored by the gateway itself: one string per block at
/// <see cref="RedisKeys.SharedBlock"/>, holding <see cref="InstanceBlockSerializer"/>'s form and
/// expiring when the block may no longer be served (Cache:Ttl plus Cache:StaleTtl after its
/// fetch; Cache:VolatileTtl plus Cache:VolatileStaleTtl with unfinished runs). The layout is ours, so the cold-block script can read a block in the same round trip
/// that claims it (<see cref="DistributedSingleFlight"/>), and no library upgrade can move it.
/// </summary>
/// <remarks>
/// HybridCache's Redis level was the store before: its own key layout and payload format meant
/// one round trip to look a block up and another to claim it.
/// </remarks>
public sealed class RedisBlockStore(RedisGate gate, InstanceBlockSerializer serializer, BlockRevalidation revalidation, TimeProvider time)
{
    /// <summary>Where <paramref name="cacheKey"/>'s block lives.</summary>
    public RedisKey Key(string cacheKey) => gate.Keys.SharedBlock(cacheKey);

    /// <summary>The block another replica published, or null when there is none, Redis cannot answer, or the value is unreadable.</summary>
    public async ValueTask<InstanceBlock?> ReadAsync(string cacheKey, CancellationToken cancellationToken)
    {
        var key = Key(cacheKey);
        var reply = await gate.RunAsync(RedisTraffic.Cache, "block-get", database => database.StringGetLeaseAsync(key), cancellationToken);
        using var stored = reply.Value;
        return reply.Answered && stored is not null ? Decode(stored.Memory) : null;
    }

    /// <summary>Publishes <paramref name="block"/> for the other replicas, for as long as it may be served; a no-op without Redis.</summary>
    public async Task WriteAsync(string cacheKey, InstanceBlock block, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(block);
        // Gone from Redis once it may no longer be served: a block with unfinished runs after
        // seconds, so that the replica asked next claims its fetch (one upstream call
        // cluster-wide) instead of reading a copy it can only throw away.
        var remaining = block.FetchedAt + revalidation.Servable(block) - time.GetUtcNow();
        if (!gate.IsEnabled || remaining <= TimeSpan.Zero)
        {
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        serializer.Serialize(block, buffer);
        var key = Key(cacheKey);
        await gate.RunAsync(RedisTraffic.Cache, "block-set", database => database.StringSetAsync(key, buffer.WrittenMemory, remaining), cancellationToken);
    }

    /// <summary>A stored block, or null when it cannot be read (written by another version of the gateway, or damaged): then it counts as absent.</summary>
    public InstanceBlock? Decode(ReadOnlyMemory<byte> stored)
    {
        try
        {
            return serializer.Deserialize(new ReadOnlySequence<byte>(stored));
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
