namespace Gateway.Http;

/// <summary>
/// <c>dotnet Gateway.dll health [url]</c>: exits 0 when /health/ready answers 200. The
/// container's HEALTHCHECK uses it, since the runtime image has no curl.
/// </summary>
public static class HealthProbeCommand
{
    /// <summary>True when the first command-line argument is <c>health</c>.</summary>
    public static bool IsRequested(string[] args) => args is ["health", ..];

    /// <summary>Calls the URL in <paramref name="args"/>[1], or http://127.0.0.1:8080/health/ready, with a 3 s timeout, and prints the status and body.</summary>
    /// <returns>The process exit code: 0 for a 2xx, 1 for anything else or no answer.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var url = args.Length > 1 ? new Uri(args[1]) : new Uri("http://127.0.0.1:8080/health/ready");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await http.GetAsync(url);
            await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync(exception.Message);
            return 1;
        }
    }
}
