using System.Globalization;
using Gateway.Redis;
using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>
/// Keys of cached values: blocks (in process, and in Redis as <see cref="RedisKeys.SharedBlock"/>),
/// persisted queries (HybridCache) and the in-process entity lists. Coordination keys are in
/// <see cref="RedisKeys"/>. The caller is represented by
/// <see cref="UpstreamCredentials.CallerKey"/>, a SHA-256 of token and workspace: callers never
/// share entries, and the token itself is never written anywhere.
/// </summary>
public static class CacheKeys
{
    /// <summary>The version of every stored value's shape (<see cref="RedisKeys.Version"/>): the local cache and Redis share keys.</summary>
    public const string Version = RedisKeys.Version;

    /// <summary>
    /// One block of one caller's list. The caller is a Redis Cluster hash tag (<c>{caller}</c>), so
    /// that the block, its single-flight claim and the caller's budget and entities live in one
    /// slot and one script may touch them all (see <see cref="RedisKeys"/>). ("block", not the
    /// earlier "blk": the Redis value became a plain string of the gateway's own form instead of
    /// HybridCache's hash, and a replica of the earlier version must not read one as the other.)
    /// </summary>
    public static string Block(string callerScope, InstanceListScope scope, int blockSize, int blockIndex)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return string.Create(CultureInfo.InvariantCulture, $"{Version}:block:{{{callerScope}}}:{scope.ProjectId}:{scope.FingerprintHex}:{blockSize}:{blockIndex}");
    }

    /// <summary>The caller scope a key made by <see cref="Block"/> belongs to.</summary>
    public static string CallerOfBlock(string blockKey)
    {
        ArgumentNullException.ThrowIfNull(blockKey);
        const string Prefix = Version + ":block:{";
        var end = blockKey.IndexOf('}', Prefix.Length);
        return blockKey.StartsWith(Prefix, StringComparison.Ordinal) && end > 0
            ? blockKey[Prefix.Length..end]
            : throw new ArgumentException("Not a block key.", nameof(blockKey));
    }

    /// <summary>A document registered through Automatic Persisted Queries, by its SHA-256 hash; shared by all callers.</summary>
    public static string PersistedQuery(string sha256Hash) => $"{Version}:apq:{sha256Hash}";

    /// <summary>The in-process list of the blocks one caller has fetched, where entity lookups search.</summary>
    public static string EntityBlocks(string callerScope) => string.Create(CultureInfo.InvariantCulture, $"{Version}:ent-blocks:{callerScope}");
}
