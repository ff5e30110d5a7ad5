using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

public sealed class GatewayCorsOptions
{
    public const string Section = "Cors";

    /// <summary>Web origins allowed to call /graphql from a browser, e.g. https://app.example.com. Empty: same-origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers may cache a preflight answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// An origin as a browser sends it: scheme, host and optional port, nothing else. A path
    /// would never match, and '*' would hand every site a caller's browser visits the right to
    /// read its answers.
    /// </summary>
    public static bool IsOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}

[OptionsValidator]
public sealed partial class GatewayCorsOptionsValidator : IValidateOptions<GatewayCorsOptions>;
