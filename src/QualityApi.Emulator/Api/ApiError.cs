using System.Globalization;

namespace QualityApi.Emulator;

/// <summary>An error response of the emulated API. Messages never contain the caller's token.</summary>
internal sealed record ApiError(int StatusCode, string Code, string Message, int? RetryAfterSeconds = null);

/// <summary>
/// Every error the emulator returns. APIGW.* codes are the real API gateway's; the real DQC
/// validation codes are undocumented, so the DQC.* codes are the emulator's own, one per kind
/// of mistake, and stay stable:
/// DQC.0001 limit, DQC.0002 offset, DQC.0003 workspace header missing, DQC.0004 enum value,
/// DQC.0005 time bound, DQC.0006 workspace not allowed (403), DQC.0007 repeated name,
/// DQC.0500 internal error (injected fault).
/// </summary>
internal static class ApiErrors
{
    public static readonly ApiError MissingToken =
        new(401, "APIGW.0301", "Incorrect IAM authentication information: x-auth-token not found");

    public static readonly ApiError UnknownToken =
        new(401, "APIGW.0301", "Incorrect IAM authentication information: decrypt token fail");

    // IAM authorizes a token for a project scope at the gateway, hence an APIGW code.
    public static readonly ApiError ProjectDenied =
        new(403, "APIGW.0302", "The IAM user is not authorized to access the API: the project is outside the scope of the token");

    // Workspace membership is checked by DataArts itself, hence a DQC code.
    public static readonly ApiError WorkspaceDenied =
        new(403, "DQC.0006", "The user has no permission to access the workspace");

    public static readonly ApiError MissingWorkspace =
        new(400, "DQC.0003", "The workspace header is mandatory");

    public static readonly ApiError InvalidLimit =
        new(400, "DQC.0001", "The value of limit must be an integer from 1 to 100");

    public static readonly ApiError InvalidOffset =
        new(400, "DQC.0002", "The value of offset must be a non-negative integer");

    public static readonly ApiError RepeatedName =
        new(400, "DQC.0007", "The parameter name must be given at most once");

    public static readonly ApiError InternalError =
        new(500, "DQC.0500", "Internal server error");

    public static ApiError InvalidEnum(string parameter, IEnumerable<string> allowed) =>
        new(400, "DQC.0004", $"The value of {parameter} must be one of {string.Join(", ", allowed)}");

    public static ApiError InvalidTime(string parameter) =>
        new(400, "DQC.0005", $"The value of {parameter} must be a 13-digit epoch timestamp in milliseconds");

    /// <summary>The API gateway's throttling code.</summary>
    public const string ThrottledCode = "APIGW.0308";

    /// <summary>The same throttling as some Huawei endpoints spell it.</summary>
    public const string ThrottledCodeOfSomeEndpoints = "APIG.0308";

    // Mirrors the real gateway's wording, e.g. "policy user over ratelimit,limit:40,time:10 second".
    public static ApiError Throttled(int limit, int windowSeconds, int? retryAfterSeconds, string code = ThrottledCode) =>
        new(
            429,
            code,
            string.Create(
                CultureInfo.InvariantCulture,
                $"The throttling threshold has been reached: policy user over ratelimit,limit:{limit},time:{windowSeconds} second"),
            retryAfterSeconds);
}
