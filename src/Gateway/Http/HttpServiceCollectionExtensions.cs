using Gateway.Hosting;
using GraphQL;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Http;

/// <summary>Composes the GraphQL-over-HTTP endpoint: request reading, response reuse, APQ, CORS.</summary>
public static class HttpServiceCollectionExtensions
{
    /// <summary>The endpoint's options, handler, response cache, persisted queries and CORS policy.</summary>
    public static IServiceCollection AddGraphQLHttp(this IServiceCollection services)
    {
        services.AddValidatedOptions<GraphQLHttpOptions, GraphQLHttpOptionsValidator>(GraphQLHttpOptions.Section);
        services.AddValidatedOptions<PersistedQueryOptions, PersistedQueryOptionsValidator>(PersistedQueryOptions.Section);
        services.AddValidatedOptions<GatewayCorsOptions, GatewayCorsOptionsValidator>(GatewayCorsOptions.Section)
            .Validate(options => options.AllowedOrigins.All(GatewayCorsOptions.IsOrigin), "Cors:AllowedOrigins: every entry must be an origin such as https://app.example.com (scheme, host and optional port; no path, no '*').");
        services.AddSingleton<PersistedQueryStore>();
        services.AddGraphQL(builder => builder.ConfigureExecution<AutomaticPersistedQueries>());
        services.AddSingleton<ResponseCache>();
        services.AddSingleton<GraphQLRequestReader>();
        services.AddSingleton<GraphQLHttpHandler>();

        // Browsers send the caller's credentials in custom headers, so a cross-origin call
        // always preflights; only configured origins get through, cookies are never involved.
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<GatewayCorsOptions>>((options, configured) =>
        {
            var cors = configured.Value;
            options.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(cors.AllowedOrigins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders(CallerCredentialsReader.TokenHeader, CallerCredentialsReader.WorkspaceHeader, "Content-Type", "Authorization", "Cache-Control", CacheDirectives.InfoHeader)
                .SetPreflightMaxAge(cors.PreflightMaxAge));
        });
        return services;
    }

    /// <summary>The name of the CORS policy built from Cors:*.</summary>
    public const string CorsPolicy = "graphql-clients";

    /// <summary>CORS for the configured web origins, ahead of the IDE and the endpoint.</summary>
    public static IApplicationBuilder UseGraphQLCors(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.ApplicationServices.GetRequiredService<IOptions<GatewayCorsOptions>>().Value.AllowedOrigins.Length > 0)
        {
            // Answers differ by Origin (the CORS headers), but ASP.NET Core's middleware says so
            // only when several origins are configured: with exactly one, a shared cache could
            // serve a response without Access-Control-Allow-Origin to the allowed site, or the
            // reverse. So every response says it, once.
            app.Use((http, next) =>
            {
                http.Response.OnStarting(static state =>
                {
                    var headers = ((HttpResponse)state).Headers;
                    if (!headers.Vary.Any(value => value?.Contains(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase) == true))
                    {
                        headers.Append(HeaderNames.Vary, HeaderNames.Origin);
                    }

                    return Task.CompletedTask;
                }, http.Response);
                return next(http);
            });
        }

        return app.UseCors(CorsPolicy);
    }

    /// <summary>GET and POST on one path; any other method gets a GraphQL 405 (<see cref="MethodNotAllowedEndpoint"/>).</summary>
    public static IEndpointConventionBuilder MapGraphQLEndpoint(this IEndpointRouteBuilder endpoints, string pattern = "/graphql")
    {
        // Routing prefers an endpoint that names its methods, so GET and POST never reach the
        // catch-all; CORS preflights never reach either, the CORS middleware answers them first.
        endpoints.Map(pattern, (HttpContext http, IGraphQLTextSerializer serializer) => MethodNotAllowedEndpoint.HandleAsync(http, serializer));
        return endpoints.MapMethods(pattern, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, GraphQLHttpHandler handler) => handler.HandleAsync(http));
    }
}
