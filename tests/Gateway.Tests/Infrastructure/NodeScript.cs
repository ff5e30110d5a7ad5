namespace Gateway.Tests.Infrastructure;

/// <summary>Runs a Node.js script of the test suite's own npm projects, bounded in time.</summary>
public static class NodeScript
{
    public static Task<ProcessResult> RunAsync(string projectDirectory, string script, TimeSpan timeout, params string[] arguments)
    {
        if (!Directory.Exists(Path.Combine(projectDirectory, "node_modules")))
        {
            throw new InvalidOperationException($"{projectDirectory}/node_modules is missing: run `npm ci` there (tests/run.sh does).");
        }

        return ProcessRunner.RunAsync("node", [script, .. arguments], projectDirectory, timeout);
    }
}
