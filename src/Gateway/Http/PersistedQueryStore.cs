using Gateway.Caching;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// Documents registered through Automatic Persisted Queries, by SHA-256 hash, in the same
/// two-level cache as the blocks (so every replica sees what one of them registered).
/// Documents are not caller data, so the store is shared by all callers.
/// </summary>
public sealed class PersistedQueryStore(HybridCache cache, IOptions<PersistedQueryOptions> options)
{
    private readonly HybridCacheEntryOptions _write = new() { Expiration = options.Value.Ttl, LocalCacheExpiration = TimeSpan.FromMinutes(5) };

    // A lookup must never invent a document: the factory is disabled, a miss is null.
    private readonly HybridCacheEntryOptions _read = new()
    {
        Expiration = options.Value.Ttl,
        LocalCacheExpiration = TimeSpan.FromMinutes(5),
        Flags = HybridCacheEntryFlags.DisableUnderlyingData,
    };

    /// <summary>The document registered under this hash by any replica, or null; never invents one.</summary>
    public ValueTask<string?> FindAsync(string sha256Hash, CancellationToken cancellationToken) =>
        cache.GetOrCreateAsync<string?>(Key(sha256Hash), static _ => ValueTask.FromResult<string?>(null), _read, cancellationToken: cancellationToken);

    /// <summary>Keeps the document under its hash for PersistedQueries:Ttl (the caller checked that the hash matches).</summary>
    public ValueTask RegisterAsync(string sha256Hash, string document, CancellationToken cancellationToken) =>
        cache.SetAsync(Key(sha256Hash), document, _write, cancellationToken: cancellationToken);

    private static string Key(string sha256Hash) => CacheKeys.PersistedQuery(sha256Hash);
}
