namespace Gateway.Http;

public static class HttpServiceCollectionExtensions
{
    public static IServiceCollection AddGraphQLHttp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GraphQLHttpOptions>()
            .Bind(configuration.GetSection(GraphQLHttpOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<GraphQLHttpHandler>();
        return services;
    }

    /// <summary>GET and POST on one path; other methods get 405 from routing.</summary>
    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/graphql") =>
        endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, GraphQLHttpHandler handler) => handler.HandleAsync(http));
}
