using System.Diagnostics;

namespace Gateway.Tests.Infrastructure;

/// <summary>Runs a Node.js script of the test suite's own npm projects, bounded in time.</summary>
public static class NodeScript
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string projectDirectory, string script, TimeSpan timeout, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(projectDirectory, "node_modules")))
        {
            throw new InvalidOperationException($"{projectDirectory}/node_modules is missing: run `npm ci` there (tests/run.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node {script} did not finish within {timeout}: {await output}{await errors}");
        }

        return (process.ExitCode, (await output) + (await errors));
    }
}
