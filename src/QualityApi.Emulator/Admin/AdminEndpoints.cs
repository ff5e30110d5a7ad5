using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace QualityApi.Emulator;

/// <summary>
/// /_emulator/*: the same knobs as <see cref="EmulatorControl"/> for scripts and load tests that
/// drive a standalone emulator over HTTP. Unauthenticated: it is a test double on loopback.
/// </summary>
internal static class AdminEndpoints
{
    public const string Prefix = "/_emulator";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup(Prefix);

        admin.MapGet("/stats", ([FromServices] EmulatorControl control) =>
            Results.Json(new StatsBody(control.ListCalls), AdminJsonContext.Default.StatsBody));

        admin.MapPost("/reset", ([FromServices] EmulatorControl control) =>
        {
            control.ResetCounters();
            return Results.NoContent();
        });

        admin.MapPost("/faults", InjectFaultAsync);

        admin.MapDelete("/faults", ([FromServices] EmulatorControl control) =>
        {
            control.ClearFaults();
            return Results.NoContent();
        });

        admin.MapPut("/latency/{ms:int}", (int ms, [FromServices] EmulatorControl control) =>
        {
            if (ms < 0)
            {
                return BadRequest("Latency must not be negative.");
            }

            control.LatencyMilliseconds = ms;
            return Results.NoContent();
        });

        admin.MapPost("/projects/{projectId}/insert/{count:int}", (string projectId, int count, [FromServices] EmulatorControl control) =>
        {
            if (count is < 0 or > 1_000_000)
            {
                return BadRequest("Count must be from 0 to 1000000.");
            }

            var total = control.InsertAtHeadAndCount(projectId, count);
            return Results.Json(new InsertedBody(projectId, total), AdminJsonContext.Default.InsertedBody);
        });
    }

    private static async Task<IResult> InjectFaultAsync(HttpRequest request, [FromServices] EmulatorControl control, CancellationToken cancellationToken)
    {
        Fault? fault;
        try
        {
            fault = await JsonSerializer.DeserializeAsync(request.Body, AdminJsonContext.Default.Fault, cancellationToken);
        }
        catch (JsonException e)
        {
            return BadRequest($"The body must be a fault: kind (a FaultKind name), optional times, delayMilliseconds, retryAfterSeconds. {e.Message}");
        }

        if (fault is null)
        {
            return BadRequest("Expected a fault object, got null.");
        }

        try
        {
            control.InjectFault(fault);
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }

        return Results.NoContent();
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new AdminErrorBody(message), AdminJsonContext.Default.AdminErrorBody, statusCode: StatusCodes.Status400BadRequest);
}
