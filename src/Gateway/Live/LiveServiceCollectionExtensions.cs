using Gateway.Hosting;
using Gateway.Live.Redis;
using Gateway.Live.Schema;
using Gateway.Live.Transports;
using Gateway.Redis;
using GraphQL;
using GraphQLParser.AST;

namespace Gateway.Live;

/// <summary>How the live feed is composed and mounted.</summary>
public static class LiveServiceCollectionExtensions
{
    /// <summary>The live change feed: its options, the hub of feeds, polling and coordination, the subscription execution.</summary>
    /// <remarks>
    /// With Redis:Configuration, one replica polls each feed cluster-wide and the caller's share
    /// is counted in Redis (<see cref="RedisLiveCoordinator"/>, <see cref="RedisLiveBudgetShare"/>);
    /// without, one poller per process.
    /// </remarks>
    public static IServiceCollection AddLiveFeed(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LiveOptions, LiveOptionsValidator>(LiveOptions.Section);
        services.AddSingleton<LiveMetrics>();
        services.AddSingleton<IHeadSource, CachedHeadSource>();
        services.AddSingleton<InProcessLiveBudgetShare>();
        if (string.IsNullOrWhiteSpace(configuration.ReadWhileComposing<RedisOptions>(RedisOptions.Section).Configuration))
        {
            services.AddSingleton<ILiveBudgetShare>(provider => provider.GetRequiredService<InProcessLiveBudgetShare>());
            services.AddSingleton<ILiveCoordinator, InProcessLiveCoordinator>();
        }
        else
        {
            services.AddSingleton<ILiveBudgetShare, RedisLiveBudgetShare>();
            services.AddSingleton<ILiveCoordinator, RedisLiveCoordinator>();
        }

        services.AddSingleton<LiveFeedHub>();
        services.AddSingleton<GraphQLWsTransport>();
        services.AddSingleton<ServerSentEventsTransport>();
        services.AddGraphQL(builder => builder.AddExecutionStrategy<LiveExecutionStrategy>(OperationType.Subscription));
        return services;
    }

    /// <summary>
    /// WebSocket upgrades and event-stream requests on <paramref name="path"/> go to the live
    /// transports; everything else goes on to the GraphQL-over-HTTP endpoint.
    /// </summary>
    public static WebApplication UseLiveTransports(this WebApplication app, string path = "/graphql")
    {
        ArgumentNullException.ThrowIfNull(app);
        var hub = app.Services.GetRequiredService<LiveFeedHub>();

        // Before the server stops taking requests: every subscriber gets its completion first.
        app.Lifetime.ApplicationStopping.Register(() => _ = hub.ShutdownAsync());
        app.UseWebSockets();
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.Equals(path, StringComparison.Ordinal))
            {
                await next(http);
            }
            else if (http.WebSockets.IsWebSocketRequest)
            {
                await http.RequestServices.GetRequiredService<GraphQLWsTransport>().HandleAsync(http);
            }
            else if (ServerSentEventsTransport.IsEventStreamRequest(http.Request))
            {
                await http.RequestServices.GetRequiredService<ServerSentEventsTransport>().HandleAsync(http);
            }
            else
            {
                await next(http);
            }
        });
        return app;
    }
}
