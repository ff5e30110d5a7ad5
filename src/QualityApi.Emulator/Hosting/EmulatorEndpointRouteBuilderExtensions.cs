using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace QualityApi.Emulator;

/// <summary>Mounts the emulator's endpoints in any app that called <see cref="EmulatorServiceCollectionExtensions.AddQualityApiEmulator"/>.</summary>
public static class EmulatorEndpointRouteBuilderExtensions
{
    /// <summary>Maps GET /v2/{project_id}/quality/instances and the /_emulator admin endpoints.</summary>
    public static IEndpointRouteBuilder MapQualityApiEmulator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(
            InstancesEndpoint.Route,
            (HttpContext context, string projectId, [FromServices] InstancesEndpoint endpoint) => endpoint.HandleAsync(context, projectId));
        AdminEndpoints.Map(endpoints);
        return endpoints;
    }
}
