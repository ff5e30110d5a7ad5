namespace Gateway.Upstream;

/// <summary>
/// Where upstream calls go, decided once while the services are composed: the real DataArts
/// Studio API, or the embedded emulator. Synthetic data is never the silent fallback: outside
/// Development the emulator runs only when Upstream:UseEmulator asks for it, and a missing
/// endpoint is a <see cref="Problem"/> that stops start-up.
/// </summary>
public sealed record UpstreamTarget(Uri? BaseAddress, bool Emulated, string? Problem)
{
    /// <summary>Decides the target from Upstream:BaseUrl, Upstream:Region and Upstream:UseEmulator; a contradiction or a missing endpoint outside Development becomes <see cref="Problem"/>, never an exception.</summary>
    /// <param name="configuration">The configuration, read as text.</param>
    /// <param name="environment">Development allows the emulator as the default.</param>
    public static UpstreamTarget Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);

        // Read as text: a value that does not bind is reported by the options validation at
        // start-up, with its key, rather than thrown from here.
        var section = configuration.GetSection(UpstreamOptions.Section);
        var baseUrl = section[nameof(UpstreamOptions.BaseUrl)];
        var region = section[nameof(UpstreamOptions.Region)];
        var useEmulator = bool.TryParse(section[nameof(UpstreamOptions.UseEmulator)], out var asked) && asked;
        var real = !string.IsNullOrWhiteSpace(baseUrl) || !string.IsNullOrWhiteSpace(region);

        if (useEmulator && real)
        {
            return Failed("Upstream:UseEmulator is true while Upstream:BaseUrl or Upstream:Region is set; choose the real upstream or the emulator, not both.");
        }

        if (!string.IsNullOrWhiteSpace(baseUrl))
        {
            return Uri.TryCreate(baseUrl, UriKind.Absolute, out var address) && address.Scheme is "https" or "http"
                ? new UpstreamTarget(address, Emulated: false, Problem: null)
                : Failed("Upstream:BaseUrl must be an absolute http:// or https:// URL, e.g. https://dayu.cn-north-4.myhuaweicloud.com.");
        }

        if (!string.IsNullOrWhiteSpace(region))
        {
            // An unusable region is reported by the validator (with the expected form).
            return Uri.TryCreate(UpstreamOptions.RegionBaseUrl(region).ToString(), UriKind.Absolute, out var address)
                ? new UpstreamTarget(address, Emulated: false, Problem: null)
                : new UpstreamTarget(null, Emulated: false, Problem: null);
        }

        if (useEmulator || environment.IsDevelopment())
        {
            return new UpstreamTarget(null, Emulated: true, Problem: null);
        }

        return Failed(
            $"Upstream:BaseUrl is not set, and outside Development (this is '{environment.EnvironmentName}') the gateway only calls the real DataArts Studio API. "
            + "Set Upstream:BaseUrl (or Upstream:Region, e.g. cn-north-4), or set Upstream:UseEmulator=true to serve the built-in emulator's synthetic data on purpose.");
    }

    private static UpstreamTarget Failed(string problem) => new(null, Emulated: false, problem);
}
