using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Http;

/// <summary>Which web origins may call the endpoint from a browser (section <c>Cors</c>).</summary>
public sealed class GatewayCorsOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Cors";

    /// <summary>Web origins allowed to call /graphql from a browser, e.g. https://app.example.com: scheme, host, optional port; no path, no "*". Default: empty (same-origin only).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers may cache a preflight answer. Default: 10 min; 0 to 1 day.</summary>
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

/// <summary>The generated validator of <see cref="GatewayCorsOptions"/>.</summary>
[OptionsValidator]
public sealed partial class GatewayCorsOptionsValidator : IValidateOptions<GatewayCorsOptions>;
