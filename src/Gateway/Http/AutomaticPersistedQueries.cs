using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Caching;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.DI;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>
/// Apollo's Automatic Persisted Queries, as a step of GraphQL.NET's execution: a request may
/// send only <c>extensions.persistedQuery.sha256Hash</c>; an unknown hash answers
/// PERSISTED_QUERY_NOT_FOUND, and the client then sends the document with its hash once,
/// which registers it for every later request (GET included, which makes them cacheable).
/// Every transport that executes gets it, and the endpoint only hands over query and extensions.
/// </summary>
public sealed class AutomaticPersistedQueries(PersistedQueryStore store, IOptions<PersistedQueryOptions> options) : IConfigureExecution
{
    /// <summary>PERSISTED_QUERY_NOT_FOUND: the hash is not known yet; the client sends the document with it.</summary>
    public const string NotFound = ErrorCodes.PersistedQueryNotFound;
    /// <summary>PERSISTED_QUERY_NOT_SUPPORTED: a persisted query was sent while PersistedQueries:Enabled is false.</summary>
    public const string NotSupported = ErrorCodes.PersistedQueryNotSupported;

    /// <summary>
    /// First: the document cache (150) keys by the query text this step fills in, and an APQ
    /// round trip is no operation for telemetry (200) to record.
    /// </summary>
    public float SortOrder => 50;

    /// <inheritdoc />
    public async Task<ExecutionResult> ExecuteAsync(ExecutionOptions options, ExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        var (query, error) = await ResolveAsync(options.Query, options.Extensions, options.CancellationToken);
        if (error is not null)
        {
            return new ExecutionResult(error);
        }

        // Checked after the lookup, since a persisted query arrives without one; our code for
        // it rather than GraphQL.NET's QUERY_MISSING, which clients were never told about.
        if (options.Document is null && string.IsNullOrWhiteSpace(query))
        {
            return new ExecutionResult(new GatewayError(ErrorCodes.BadRequest, "The request has no 'query'."));
        }

        options.Query = query;
        return await next(options);
    }

    /// <summary>The document to execute, or the error to answer with.</summary>
    private async ValueTask<(string? Query, ExecutionError? Error)> ResolveAsync(string? query, Inputs? extensions, CancellationToken cancellationToken)
    {
        if (extensions?.TryGetValue("persistedQuery", out var value) != true || value is not IDictionary<string, object?> persisted)
        {
            return (query, null);
        }

        if (!options.Value.Enabled)
        {
            return (null, new GatewayError(NotSupported, "Persisted queries are turned off (PersistedQueries:Enabled)."));
        }

        if (!persisted.TryGetValue("version", out var version) || !IsOne(version)
            || !persisted.TryGetValue("sha256Hash", out var hashValue) || hashValue is not string hash || !IsSha256Hex(hash))
        {
            return (null, new GatewayError(ErrorCodes.BadRequest, "extensions.persistedQuery needs version 1 and a sha256Hash of 64 hex digits."));
        }

        hash = hash.ToLowerInvariant();
        if (string.IsNullOrEmpty(query))
        {
            var stored = await store.FindAsync(hash, cancellationToken);
            return stored is null ? (null, new PersistedQueryNotFoundError()) : (stored, null);
        }

        if (!string.Equals(Sha256Hex(query), hash, StringComparison.Ordinal))
        {
            return (null, new GatewayError(ErrorCodes.BadRequest, "extensions.persistedQuery.sha256Hash is not the SHA-256 of the query."));
        }

        await store.RegisterAsync(hash, query, cancellationToken);
        return (query, null);
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

/// <summary>
/// An unknown persisted query is a step of the APQ protocol, not a broken request: 200, as
/// Apollo's servers answer it, though nothing executed. Clients match the message too.
/// </summary>
public sealed class PersistedQueryNotFoundError : ExecutionError, IHasPreferredStatusCode
{
    /// <summary>The error with Apollo's message, "PersistedQueryNotFound", and code PERSISTED_QUERY_NOT_FOUND.</summary>
    public PersistedQueryNotFoundError()
        : base("PersistedQueryNotFound")
    {
        Code = ErrorCodes.PersistedQueryNotFound;
    }

    /// <inheritdoc />
    public HttpStatusCode PreferredStatusCode => HttpStatusCode.OK;
}
