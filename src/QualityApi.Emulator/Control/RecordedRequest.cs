namespace QualityApi.Emulator;

/// <summary>
/// One list call as the emulator saw it, for asserting what a client forwarded.
/// <paramref name="Token"/> and <paramref name="Workspace"/> are the raw header values (null when
/// absent). <paramref name="QueryString"/> is raw, with its leading '?' (empty when there is none).
/// <paramref name="StatusCode"/> is 0 when no response was sent (connection aborted by a fault or by the client).
/// <paramref name="TraceParent"/> is the W3C trace context header the client propagated, if any.
/// </summary>
public sealed record RecordedRequest(
    DateTimeOffset At,
    string ProjectId,
    string? Token,
    string? Workspace,
    string QueryString,
    int StatusCode,
    string? TraceParent = null);
