using Gateway.Hosting;

namespace Gateway.Http;

public static class HttpServiceCollectionExtensions
{
    public static IServiceCollection AddGraphQLHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GraphQLHttpOptions, GraphQLHttpOptionsValidator>(GraphQLHttpOptions.Section);
        services.AddValidatedOptions<Caching.PersistedQueryOptions, Caching.PersistedQueryOptionsValidator>(Caching.PersistedQueryOptions.Section);
        services.AddValidatedOptions<GatewayCorsOptions, GatewayCorsOptionsValidator>(GatewayCorsOptions.Section)
            .Validate(options => options.AllowedOrigins.All(GatewayCorsOptions.IsOrigin), "Cors:AllowedOrigins: every entry must be an origin such as https://app.example.com (scheme, host and optional port; no path, no '*').");
        services.AddSingleton<Caching.PersistedQueryStore>();
        services.AddSingleton<AutomaticPersistedQueries>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<GraphQLHttpHandler>();

        // Browsers send the caller's credentials in custom headers, so a cross-origin call
        // always preflights; only configured origins get through, cookies are never involved.
        var cors = configuration.ReadWhileComposing<GatewayCorsOptions>(GatewayCorsOptions.Section);
        services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(cors.AllowedOrigins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithHeaders(CallerCredentialsReader.TokenHeader, CallerCredentialsReader.WorkspaceHeader, "Content-Type", "Authorization", "Cache-Control", CacheDirectives.InfoHeader)
            .SetPreflightMaxAge(cors.PreflightMaxAge)));
        return services;
    }

    public const string CorsPolicy = "graphql-clients";

    /// <summary>CORS for the configured web origins, ahead of the IDE and the endpoint.</summary>
    public static IApplicationBuilder UseGraphQLCors(this IApplicationBuilder app) => app.UseCors(CorsPolicy);

    /// <summary>GET and POST on one path; other methods get 405 from routing.</summary>
    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, GraphQLHttpHandler handler) => handler.HandleAsync(http));
}
