using Gateway.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gateway.Warmup;

/// <summary>Registers the start-up warm-up pass.</summary>
public static class WarmupServiceCollectionExtensions
{
    /// <summary>The start-up warm-up pass and the readiness check that waits for it.</summary>
    /// <param name="services">The gateway's services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddStartupWarmup(this IServiceCollection services)
    {
        services.AddValidatedOptions<WarmupOptions, WarmupOptionsValidator>(WarmupOptions.Section);
        services.AddSingleton<WarmupState>();
        services.AddSingleton<ColdPathRehearsal>();
        services.AddSingleton<WarmupTraffic>();
        services.AddSingleton(provider => new JitSettle(provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<StartupWarmup>();
        services.AddHealthChecks().AddCheck<WarmupHealthCheck>("warm-up", tags: ["ready"]);
        return services;
    }
}

/// <summary>Whether the warm-up pass is over (done, skipped or failed: readiness never waits on it for good).</summary>
public sealed class WarmupState
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True once the pass is over.</summary>
    public bool IsFinished => _finished.Task.IsCompleted;

    /// <summary>Completes when the pass is over.</summary>
    public Task Finished => _finished.Task;

    /// <summary>Marks the pass over; later calls do nothing.</summary>
    public void Finish() => _finished.TrySetResult();
}

/// <summary>Not ready while the warm-up pass runs: a load balancer sends no user to a replica that is still compiling.</summary>
public sealed class WarmupHealthCheck(WarmupState state) : IHealthCheck
{
    /// <summary>Unhealthy while the pass runs, healthy after it.</summary>
    /// <param name="context">The health check's context (unused).</param>
    /// <param name="cancellationToken">Unused: the answer is immediate.</param>
    /// <returns>The readiness of the warm-up.</returns>
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsFinished ? HealthCheckResult.Healthy("Warmed up.") : HealthCheckResult.Unhealthy("Warming up."));
}
