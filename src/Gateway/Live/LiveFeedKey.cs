using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>
/// Which feed a subscription joins: one per caller (the SHA-256 caller hash, never the token),
/// project and normalized filter. <see cref="Value"/> is safe for logs, Redis keys and channel names.
/// </summary>
public sealed record LiveFeedKey(string CallerKey, InstanceListScope Scope)
{
    public string Value { get; } = $"{CallerKey}:{Scope.FingerprintHex}";

    /// <summary>A short form for log lines: enough to tell feeds apart, nothing to identify the caller by.</summary>
    public string ForLog => $"{CallerKey[..8]}:{Scope.FingerprintHex[..8]}";

    public bool Equals(LiveFeedKey? other) => other is not null && other.Value == Value;

    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}
