namespace QualityApi.Emulator;

/// <summary>
/// How the emulated upstream behaves. Bound from the "Emulator" configuration section when run
/// standalone; passed to <see cref="EmulatorServer.StartAsync"/> or
/// <see cref="EmulatorServiceCollectionExtensions.AddQualityApiEmulator"/> when hosted in-process.
/// Read once at start-up: change behaviour at run time through <see cref="EmulatorControl"/>.
/// </summary>
public sealed class EmulatorOptions
{
    /// <summary>How many instances every project id has, generated deterministically on first use.</summary>
    public int InstancesPerProject { get; set; } = 3000;

    /// <summary>Combined with a stable hash of the project id, so data is identical across runs and machines.</summary>
    public int Seed { get; set; } = 20220825;

    /// <summary>
    /// 0 (the default): RUNNING and SUSPENDING instances are spread over all of history, so
    /// nearly every block of 100 holds one. N: only the newest N instances of a project can be
    /// unfinished, the rest have settled, as in a real list where runs in progress are the ones
    /// that started last. The load script measures both shapes.
    /// </summary>
    public int RunningOnlyInNewest { get; set; }

    /// <summary>Delay added to every list call; <see cref="EmulatorControl.LatencyMilliseconds"/> can override it.</summary>
    public int LatencyMilliseconds { get; set; }

    /// <summary>Accepted IAM tokens. Empty: any non-empty token is accepted; otherwise any other token gets 401.</summary>
    public List<string> Tokens { get; set; } = [];

    /// <summary>Token to the projects and workspaces it may read. A token without a rule is unrestricted.</summary>
    public Dictionary<string, AccessRule> AccessRules { get; set; } = [];

    /// <summary>
    /// Every this many milliseconds, in every project served so far, the oldest run the
    /// auto-runner started finishes (SUCCESS, sometimes FAILED or ALARMING) once it has run for
    /// two ticks, and a new RUNNING run starts: something for a live feed to show. 0 (the
    /// default, and in tests) turns it off.
    /// </summary>
    public int AutoRunIntervalMilliseconds { get; set; }

    /// <summary>Per-token throttling like the real API gateway's; null turns it off.</summary>
    public ThrottleOptions? Throttle { get; set; }
}
