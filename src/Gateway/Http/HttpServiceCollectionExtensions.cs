using GraphQL;

namespace Gateway.Http;

public static class HttpServiceCollectionExtensions
{
    public static IServiceCollection AddGraphQLHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLHttpOptions>()
            .Bind(configuration.GetSection(GraphQLHttpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<Caching.PersistedQueryOptions>().Bind(configuration.GetSection(Caching.PersistedQueryOptions.Section));
        services.AddSingleton<Caching.PersistedQueryStore>();
        services.AddSingleton<AutomaticPersistedQueries>();
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<GraphQLHttpHandler>();

        // Browsers send the caller's credentials in custom headers, so a cross-origin call
        // always preflights; only configured origins get through, cookies are never involved.
        var cors = configuration.GetSection(GatewayCorsOptions.Section).Get<GatewayCorsOptions>() ?? new GatewayCorsOptions();
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

    /// <summary>GET and POST on one path; any other method gets a GraphQL 405 (<see cref="MethodNotAllowedEndpoint"/>).</summary>
    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        // Routing prefers an endpoint that names its methods, so GET and POST never reach the
        // catch-all; CORS preflights never reach either, the CORS middleware answers them first.
        endpoints.Map(pattern, (HttpContext http, IGraphQLTextSerializer serializer) => MethodNotAllowedEndpoint.HandleAsync(http, serializer));
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, GraphQLHttpHandler handler) => handler.HandleAsync(http));
    }
}
