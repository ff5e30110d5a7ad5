namespace QualityApi.Emulator;

/// <summary>
/// Sliding-window budget per token. The defaults are the documented budget of the real API
/// gateway (about 40 requests per user per 10 seconds).
/// </summary>
public sealed class ThrottleOptions
{
    /// <summary>Requests admitted per token within one window.</summary>
    public int Limit { get; set; } = 40;

    /// <summary>Length of the sliding window.</summary>
    public int WindowSeconds { get; set; } = 10;

    /// <summary>Sent as the Retry-After header of a 429 when set; the real gateway sends none.</summary>
    public int? RetryAfterSeconds { get; set; }
}
