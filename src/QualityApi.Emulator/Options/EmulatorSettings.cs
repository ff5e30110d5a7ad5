using System.Collections.Frozen;

namespace QualityApi.Emulator;

/// <summary>
/// A validated, immutable copy of <see cref="EmulatorOptions"/>: the handlers read it on every
/// call from many threads, so a caller mutating its options object later must not tear it.
/// </summary>
internal sealed class EmulatorSettings
{
    private EmulatorSettings(
        int instancesPerProject,
        int seed,
        int runningOnlyInNewest,
        int latencyMilliseconds,
        FrozenSet<string> tokens,
        FrozenDictionary<string, AccessScope> accessRules,
        ThrottleSettings? throttle,
        int autoRunIntervalMilliseconds)
    {
        AutoRunIntervalMilliseconds = autoRunIntervalMilliseconds;
        InstancesPerProject = instancesPerProject;
        Seed = seed;
        RunningOnlyInNewest = runningOnlyInNewest;
        LatencyMilliseconds = latencyMilliseconds;
        Tokens = tokens;
        AccessRules = accessRules;
        Throttle = throttle;
    }

    public int InstancesPerProject { get; }

    public int Seed { get; }

    public int RunningOnlyInNewest { get; }

    public int LatencyMilliseconds { get; }

    public FrozenSet<string> Tokens { get; }

    public FrozenDictionary<string, AccessScope> AccessRules { get; }

    public ThrottleSettings? Throttle { get; }

    public int AutoRunIntervalMilliseconds { get; }

    public static EmulatorSettings From(EmulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (FindProblem(options) is { } problem)
        {
            throw new ArgumentException($"Invalid emulator options: {problem}", nameof(options));
        }

        var tokens = (options.Tokens ?? []).Where(t => !string.IsNullOrEmpty(t)).ToFrozenSet(StringComparer.Ordinal);
        var rules = (options.AccessRules ?? []).ToFrozenDictionary(
            pair => pair.Key,
            pair => new AccessScope(
                (pair.Value.Projects ?? []).ToFrozenSet(StringComparer.Ordinal),
                (pair.Value.Workspaces ?? []).ToFrozenSet(StringComparer.Ordinal)),
            StringComparer.Ordinal);
        var throttle = options.Throttle is { } t ? new ThrottleSettings(t.Limit, t.WindowSeconds, t.RetryAfterSeconds, t.ErrorCode) : null;
        return new EmulatorSettings(options.InstancesPerProject, options.Seed, options.RunningOnlyInNewest, options.LatencyMilliseconds, tokens, rules, throttle, options.AutoRunIntervalMilliseconds);
    }

    private static string? FindProblem(EmulatorOptions options) => options switch
    {
        { InstancesPerProject: < 0 } => "InstancesPerProject must not be negative.",
        { RunningOnlyInNewest: < 0 } => "RunningOnlyInNewest must not be negative.",
        { LatencyMilliseconds: < 0 } => "LatencyMilliseconds must not be negative.",
        { AutoRunIntervalMilliseconds: < 0 } => "AutoRunIntervalMilliseconds must not be negative.",
        { Throttle.Limit: < 1 } => "Throttle.Limit must be at least 1.",
        { Throttle.WindowSeconds: < 1 } => "Throttle.WindowSeconds must be at least 1.",
        { Throttle.RetryAfterSeconds: < 0 } => "Throttle.RetryAfterSeconds must not be negative.",
        { Throttle.ErrorCode: not (ApiErrors.ThrottledCode or ApiErrors.ThrottledCodeOfSomeEndpoints) } => $"Throttle.ErrorCode must be {ApiErrors.ThrottledCode} or {ApiErrors.ThrottledCodeOfSomeEndpoints}.",
        _ when options.AccessRules?.Values.Any(rule => rule is null) == true => "Every access rule needs a value.",
        _ => null,
    };
}

internal sealed record AccessScope(FrozenSet<string> Projects, FrozenSet<string> Workspaces)
{
    public bool AllowsProject(string projectId) => Projects.Count == 0 || Projects.Contains(projectId);

    public bool AllowsWorkspace(string workspace) => Workspaces.Count == 0 || Workspaces.Contains(workspace);
}

internal sealed record ThrottleSettings(int Limit, int WindowSeconds, int? RetryAfterSeconds, string ErrorCode);
