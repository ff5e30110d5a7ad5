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

    public UpstreamCredentials? Credentials { get; }

    public GatewayError? CredentialsError { get; }

    /// <summary>What the request asks of the cache (Cache-Control: no-cache, freshness report).</summary>
    public CacheRequest Cache { get; init; } = CacheRequest.Default;

    public static GatewayUserContext WithCredentials(UpstreamCredentials credentials) => new(credentials, null);

    public static GatewayUserContext WithoutCredentials(GatewayError reason) => new(null, reason);

    /// <summary>Where resolvers note how fresh the response's data is, when the response may be reused.</summary>
    public ResponseFreshness? Freshness { get; init; }

    public GatewayUserContext With(CacheRequest cache, ResponseFreshness? freshness) => new(Credentials, CredentialsError) { Cache = cache, Freshness = freshness };

    public UpstreamCredentials RequireCredentials() =>
        Credentials ?? throw CredentialsError ?? new GatewayError(ErrorCodes.Unauthenticated, "Send the caller's IAM token in the X-Auth-Token header.");
}
