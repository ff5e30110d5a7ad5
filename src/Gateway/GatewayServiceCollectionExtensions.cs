using Gateway.Caching;
using Gateway.GraphQL;
using Gateway.Http;
using Gateway.Ide;
using Gateway.Live;
using Gateway.Telemetry;
using Gateway.Upstream;
using Gateway.Warmup;

namespace Gateway;

/// <summary>The composition root: each folder adds its own services, in dependency order.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>Every service of the gateway, in one place for Program and for in-process hosts (benchmarks).</summary>
    public static IServiceCollection AddQualityGateway(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services
        .AddGatewayTelemetry(configuration)
        .AddQualityUpstream(configuration, environment)
        .AddBlockCache(configuration)
        .AddQualityGraphQL(configuration)
        .AddLiveFeed(configuration)
        .AddGraphQLHttp()
        .AddIde(configuration)
        .AddStartupWarmup();
}
