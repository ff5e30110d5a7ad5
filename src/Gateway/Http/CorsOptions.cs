namespace Gateway.Http;

public sealed class GatewayCorsOptions
{
    public const string Section = "Cors";

    /// <summary>Web origins allowed to call /graphql from a browser, e.g. https://app.example.com. Empty: same-origin only.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>How long browsers may cache a preflight answer.</summary>
    public TimeSpan PreflightMaxAge { get; set; } = TimeSpan.FromMinutes(10);
}
