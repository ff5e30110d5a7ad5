using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway as a separate OS process (a replica), configured by environment variables the
/// way a container is, on a free loopback port; stopped by PID.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the process has logged (warnings and above unless configured otherwise), for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public Uri GraphQLEndpoint => new(BaseAddress, "/graphql");

    /// <summary>
    /// The process's resident memory now and at its highest so far (on Linux, VmRSS and VmHWM:
    /// the kernel keeps the high-water mark, so a peak between two samples is not missed).
    /// </summary>
    public (long WorkingSet, long PeakWorkingSet) Memory()
    {
        _process.Refresh();
        return (_process.WorkingSet64, _process.PeakWorkingSet64);
    }

    /// <summary>The gateway built alongside these tests (same configuration), from src/Gateway/bin.</summary>
    public static string BuiltGatewayDll
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            var dll = Path.Combine(Repository.Root, "src", "Gateway", "bin", configuration, "net10.0", "Gateway.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first.");
        }
    }

    public static async Task<GatewayProcess> StartAsync(string gatewayDll, IDictionary<string, string> settings)
    {
        var port = RedisServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(gatewayDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(gatewayDll);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return await LaunchAsync(start, port);
    }

    /// <summary>The gateway exactly as the README's run command starts it (its launch profile included), from the built output.</summary>
    public static async Task<GatewayProcess> StartWithDotnetRunAsync()
    {
        var port = RedisServer.FreePort();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "run", "--project", "src/Gateway", "--no-build", "-c", configuration, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(argument);
        }

        // Whatever the test runner's environment says, the launch profile decides, as for a newcomer.
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        return await LaunchAsync(start, port);
    }

    private static async Task<GatewayProcess> LaunchAsync(ProcessStartInfo start, int port)
    {
        var process = Process.Start(start) ?? throw new InvalidOperationException("The gateway process did not start.");
        var gateway = new GatewayProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, line) => gateway.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => gateway.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await gateway.WaitUntilLiveAsync();
            return gateway;
        }
        catch
        {
            await gateway.DisposeAsync();
            throw;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 500 && _output.TryDequeue(out _))
        {
        }
    }

    /// <summary>Kills the process (SIGKILL, by PID) as a crash would: nothing in it runs to clean up.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task WaitUntilLiveAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var live = await Eventually.HoldsAsync(async () => _process.HasExited || await IsLiveAsync(http), TimeSpan.FromSeconds(60));
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The gateway process exited during start-up with code {_process.ExitCode}.");
        }

        if (!live)
        {
            throw new TimeoutException("The gateway process did not answer /health/live within 60 s.");
        }
    }

    private async Task<bool> IsLiveAsync(HttpClient http)
    {
        try
        {
            using var live = await http.GetAsync(new Uri(BaseAddress, "/health/live"));
            return live.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
            return false;
        }
    }
}
