using System.Security.Cryptography;
using System.Text;
using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;

namespace Gateway.Http;

/// <summary>
/// Apollo's Automatic Persisted Queries: a request may send only
/// <c>extensions.persistedQuery.sha256Hash</c>; an unknown hash answers
/// PERSISTED_QUERY_NOT_FOUND, and the client then sends the document with its hash once,
/// which registers it for every later request (GET included, which makes them cacheable).
/// </summary>
public sealed class AutomaticPersistedQueries(PersistedQueryStore store)
{
    public const string NotFound = "PERSISTED_QUERY_NOT_FOUND";
    public const string NotSupported = "PERSISTED_QUERY_NOT_SUPPORTED";

    /// <summary>The document to execute, or the error to answer with.</summary>
    public async ValueTask<(string? Query, ExecutionError? Error)> ResolveAsync(GraphQLRequest request, bool enabled, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Extensions?.TryGetValue("persistedQuery", out var value) != true || value is not IDictionary<string, object?> persisted)
        {
            return (request.Query, null);
        }

        if (!enabled)
        {
            return (null, new GatewayError(NotSupported, "Persisted queries are turned off (PersistedQueries:Enabled)."));
        }

        if (!persisted.TryGetValue("version", out var version) || !IsOne(version)
            || !persisted.TryGetValue("sha256Hash", out var hashValue) || hashValue is not string hash || !IsSha256Hex(hash))
        {
            return (null, new GatewayError(ErrorCodes.BadRequest, "extensions.persistedQuery needs version 1 and a sha256Hash of 64 hex digits."));
        }

        hash = hash.ToLowerInvariant();
        if (string.IsNullOrEmpty(request.Query))
        {
            var stored = await store.FindAsync(hash, cancellationToken);
            return stored is null ? (null, new GatewayError(NotFound, "PersistedQueryNotFound")) : (stored, null);
        }

        if (!string.Equals(Sha256Hex(request.Query), hash, StringComparison.Ordinal))
        {
            return (null, new GatewayError(ErrorCodes.BadRequest, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query."));
        }

        await store.RegisterAsync(hash, request.Query, cancellationToken);
        return (request.Query, null);
    }

    private static bool IsOne(object? version) => version switch
    {
        int i => i == 1,
        long l => l == 1,
        decimal d => d == 1,
        double d => d == 1,
        string s => s == "1",
        _ => false,
    };

    private static bool IsSha256Hex(string hash) => hash.Length == 64 && hash.All(char.IsAsciiHexDigit);

    private static string Sha256Hex(string query) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)));
}
