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

        MapRuns(admin);
    }

    private static void MapRuns(RouteGroupBuilder admin)
    {
        // Starts a run (RUNNING unless ?status= says otherwise) and answers it.
        admin.MapPost("/projects/{projectId}/runs", (string projectId, string? status, [FromServices] EmulatorControl control) =>
            Guarded(() => Results.Json(control.AppendRun(projectId, status ?? "RUNNING"), AdminJsonContext.Default.QualityInstance)));

        // Changes a run's status in place; finishing it sets its end time (optional ?notify=).
        admin.MapPut("/projects/{projectId}/runs/{id:long}/status/{status}", (string projectId, long id, string status, string? notify, [FromServices] EmulatorControl control) =>
            Guarded(() => control.SetRunStatus(projectId, id, status, notify) is { } changed
                ? Results.Json(changed, AdminJsonContext.Default.QualityInstance)
                : Results.Json(new AdminErrorBody($"No instance {id} in project {projectId}."), AdminJsonContext.Default.AdminErrorBody, statusCode: StatusCodes.Status404NotFound)));
    }

    private static IResult Guarded(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (ArgumentException e)
        {
            return BadRequest(e.Message);
        }
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
