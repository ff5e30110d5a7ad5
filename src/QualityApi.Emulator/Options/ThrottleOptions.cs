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

    /// <summary>
    /// The throttling code in the 429's body: APIGW.0308 as most of Huawei's API gateway answers,
    /// or APIG.0308 as some endpoints do.
    /// </summary>
    public string ErrorCode { get; set; } = ApiErrors.ThrottledCode;
}
