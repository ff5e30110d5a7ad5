namespace Gateway.Http;

/// <summary>
/// <c>dotnet Gateway.dll health [url]</c>: exits 0 when /health/ready answers 200. The
/// container's HEALTHCHECK uses it, since the runtime image has no curl.
/// </summary>
public static class HealthProbeCommand
{
    public static bool IsRequested(string[] args) => args is ["health", ..];

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
