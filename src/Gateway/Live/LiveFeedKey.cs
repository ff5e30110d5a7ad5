using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>
/// Which feed a subscription joins: one per caller (the SHA-256 caller hash, never the token),
/// project and normalized filter. <see cref="Value"/> is safe for logs, Redis keys and channel names.
/// </summary>
public sealed record LiveFeedKey(string CallerKey, InstanceListScope Scope)
{
    /// <summary>The caller hash and the list's 128-bit fingerprint: "{caller}:{fingerprint}".</summary>
    public string Value { get; } = $"{CallerKey}:{Scope.FingerprintHex}";

    /// <summary>A short form for log lines: enough to tell feeds apart, nothing to identify the caller by.</summary>
    public string ForLog => $"{CallerKey[..8]}:{Scope.FingerprintHex[..8]}";

    /// <summary>Keys are equal when their <see cref="Value"/> is.</summary>
    public bool Equals(LiveFeedKey? other) => other is not null && other.Value == Value;

    /// <inheritdoc />
    public override int GetHashCode() => Value.GetHashCode(StringComparison.Ordinal);
}
