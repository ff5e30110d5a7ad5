using System.Globalization;
using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>
/// Cache keys for upstream blocks and the instances seen in them. The caller is represented by
/// <see cref="UpstreamCredentials.CallerKey"/>, a SHA-256 of token and workspace: callers never
/// share entries, and the token itself is never written anywhere.
/// </summary>
public static class CacheKeys
{
    /// <summary>Bumped whenever the cached value's shape or meaning changes, so old entries are ignored.</summary>
    public const string Version = "qg1";

    /// <summary>
    /// One block of one caller's list. The block's identity is a Redis Cluster hash tag
    /// (<c>{...}</c>), so that the block and the keys derived from it (its single-flight claim)
    /// live in one slot and a script may touch both.
    /// </summary>
    public static string Block(string callerScope, InstanceListScope scope, int blockSize, int blockIndex)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return string.Create(CultureInfo.InvariantCulture, $"{Version}:blk:{{{callerScope}:{scope.ProjectId}:{scope.FingerprintHex}:{blockSize}:{blockIndex}}}");
    }

    /// <summary>The caller scope a key made by <see cref="Block"/> belongs to.</summary>
    public static string CallerOfBlock(string blockKey)
    {
        ArgumentNullException.ThrowIfNull(blockKey);
        const string Prefix = Version + ":blk:{";
        var end = blockKey.IndexOf(':', Prefix.Length);
        return blockKey.StartsWith(Prefix, StringComparison.Ordinal) && end > 0
            ? blockKey[Prefix.Length..end]
            : throw new ArgumentException("Not a block key.", nameof(blockKey));
    }

    /// <summary>
    /// The instances this caller has seen in blocks (one Redis hash per caller, field = id): the
    /// upstream cannot look an instance up by id, so entity resolution can only ever return what
    /// the same caller was shown.
    /// </summary>
    /// <summary>The cursor-signing key the replicas share when no Paging:CursorSecret is configured.</summary>
    public const string CursorKey = Version + ":cursor-key";

    public static string Entities(string callerScope) =>
        string.Create(CultureInfo.InvariantCulture, $"{Version}:ent:{callerScope}");
}
