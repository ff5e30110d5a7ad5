using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.GraphQL;

/// <summary>
/// What the HTTP layer learned about the caller, handed to resolvers through GraphQL.NET's
/// user context. A request without credentials still executes (introspection needs none);
/// only a resolver that calls the upstream raises <see cref="CredentialsError"/>.
/// </summary>
public sealed class GatewayUserContext : Dictionary<string, object?>
{
    private GatewayUserContext(UpstreamCredentials? credentials, GatewayError? credentialsError)
    {
        Credentials = credentials;
        CredentialsError = credentialsError;
    }

    /// <summary>The caller's token and workspace, or null when the request did not carry usable ones.</summary>
    public UpstreamCredentials? Credentials { get; }

    /// <summary>Why <see cref="Credentials"/> is null (UNAUTHENTICATED or BAD_USER_INPUT, naming the header), raised only by a field that needs them.</summary>
    public GatewayError? CredentialsError { get; }

    /// <summary>What the request asks of the cache (Cache-Control: no-cache, freshness report).</summary>
    public CacheRequest Cache { get; init; } = CacheRequest.Default;

    /// <summary>A caller with usable credentials.</summary>
    public static GatewayUserContext WithCredentials(UpstreamCredentials credentials) => new(credentials, null);

    /// <summary>A caller without usable credentials; <paramref name="reason"/> is raised by the first field that needs them.</summary>
    public static GatewayUserContext WithoutCredentials(GatewayError reason) => new(null, reason);

    /// <summary>Where resolvers note how fresh the response's data is, when the response may be reused.</summary>
    public ResponseFreshness? Freshness { get; init; }

    /// <summary>The same caller, with what this request asks of the cache and where its freshness is noted (a copy, so each operation of a batch has its own cache report).</summary>
    public GatewayUserContext With(CacheRequest cache, ResponseFreshness? freshness) => new(Credentials, CredentialsError) { Cache = cache, Freshness = freshness };

    /// <summary>The credentials, for a resolver about to call the upstream or read the caller's cache entries.</summary>
    /// <exception cref="GatewayError"><see cref="CredentialsError"/>, or UNAUTHENTICATED, when there are none.</exception>
    public UpstreamCredentials RequireCredentials() =>
        Credentials ?? throw CredentialsError ?? new GatewayError(ErrorCodes.Unauthenticated, "Send the caller's IAM token in the X-Auth-Token header.");
}
