using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Warmup;

/// <summary>
/// Once Kestrel listens, sends representative requests to the gateway's own endpoint over
/// loopback for Warmup:Duration (the real pipeline: Kestrel, routing, the handler, GraphQL,
/// the block cache, cursors, serialization, response reuse), waits for the JIT to go quiet when
/// Warmup:JitSettleLimit allows it, then lets /health/ready turn ready.
/// A failed or impossible pass is logged and readiness goes ahead: it only costs speed.
/// </summary>
public sealed partial class StartupWarmup(
    IOptions<WarmupOptions> options,
    WarmupState state,
    WarmupTraffic traffic,
    ColdPathRehearsal cold,
    JitSettle jit,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<StartupWarmup> logger) : BackgroundService
{
    /// <summary>Waits for Kestrel, runs the pass, and marks the warm-up finished whatever happened.</summary>
    /// <param name="stoppingToken">Ends the pass when the host stops during start-up.</param>
    /// <returns>Completes when the pass is over.</returns>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!options.Value.Enabled || options.Value.Duration <= TimeSpan.Zero)
            {
                return;
            }

            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }

            if (LoopbackAddress(server) is not { } address)
            {
                LogNoAddress(logger);
                return;
            }

            var timer = Stopwatch.StartNew();
            var requests = await traffic.RunAsync(address, options.Value.Duration, stoppingToken);
            LogWarmedUp(logger, requests, cold.UpstreamCalls, timer.ElapsedMilliseconds);
            if (options.Value.JitSettleLimit > TimeSpan.Zero)
            {
                var (waited, compiled) = await jit.WaitAsync(options.Value.JitSettleLimit, stoppingToken);
                LogSettled(logger, compiled, (long)waited.TotalMilliseconds);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down during start-up: nothing to report.
        }
        // Whatever went wrong, the pass only ever costs speed: it must never stop the host
        // (a BackgroundService's exception does) nor keep the replica from turning ready.
        catch (Exception exception)
        {
            LogFailed(logger, exception);
        }
        finally
        {
            state.Finish();
        }
    }

    /// <summary>The first plain-HTTP address Kestrel listens on, as a loopback URL; null when there is none (HTTPS or sockets only).</summary>
    public static Uri? LoopbackAddress(IServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
            {
                continue;
            }

            // A wildcard or localhost binding is reached on the IPv4 loopback, the one every
            // host has; anything else that is not an address (a Unix socket) cannot be dialled.
            if (uri.IsLoopback && !IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
            {
                return new UriBuilder(Uri.UriSchemeHttp, IPAddress.Loopback.ToString(), uri.Port).Uri;
            }

            if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip))
            {
                var wildcard = ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any);
                return new UriBuilder(Uri.UriSchemeHttp, wildcard ? IPAddress.Loopback.ToString() : uri.Host, uri.Port).Uri;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warmed up with {Requests} requests through the endpoint ({ColdBlocks} cold blocks, their upstream calls answered in process) in {Milliseconds} ms.")]
    private static partial void LogWarmedUp(ILogger logger, int requests, int coldBlocks, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waited {Milliseconds} ms after the pass while the JIT compiled {Methods} more methods (Warmup:JitSettleLimit).")]
    private static partial void LogSettled(ILogger logger, long methods, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No plain-HTTP address to warm up through; ready without a warm-up pass (the first requests run on unoptimized code).")]
    private static partial void LogNoAddress(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The warm-up pass failed; ready without it (the first requests run on unoptimized code).")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
