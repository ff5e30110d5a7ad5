using Microsoft.Extensions.Hosting;

namespace QualityApi.Emulator;

/// <summary>
/// Emulator:AutoRunIntervalMilliseconds: runs that start and finish on their own, so a live
/// feed against the emulator has something to show. Each tick, in every project served so far,
/// the oldest run this runner started finishes once it has lived two ticks, and a new one starts.
/// </summary>
internal sealed class AutoRunner(EmulatorControl control, EmulatorSettings settings, TimeProvider time) : BackgroundService
{
    private static readonly string[] Outcomes = ["SUCCESS", "SUCCESS", "FAILED", "SUCCESS", "ALARMING"];

    private readonly Dictionary<string, Queue<long>> running = new(StringComparer.Ordinal);
    private long ticks;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.AutoRunIntervalMilliseconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Tick();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped with the host.
        }
    }

    private void Tick()
    {
        ticks++;
        foreach (var project in control.KnownProjects)
        {
            if (!running.TryGetValue(project, out var started))
            {
                running[project] = started = new Queue<long>();
            }

            if (started.Count >= 2)
            {
                control.SetRunStatus(project, started.Dequeue(), Outcomes[ticks % Outcomes.Length], ticks % 3 == 0 ? "FAILED" : "SUCCESS");
            }

            started.Enqueue(control.AppendRun(project).Id);
        }
    }
}
