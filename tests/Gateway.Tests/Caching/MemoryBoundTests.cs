using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Gateway.Tests.Caching;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryBurstCollection
{
    public const string Name = "memory burst (runs alone)";
}

/// <summary>
/// Issue 11, "memory has a bound": 40,000 distinct callers asking for one first page each grew a
/// memory-only gateway to 1 GB resident. With default settings the same burst, against a real
/// gateway process on its embedded emulator, must stay under 512 MB at its peak; and once a
/// burst's entries have expired, an idle gateway must give the memory back.
/// </summary>
[Collection(MemoryBurstCollection.Name)]
public sealed class MemoryBoundTests(ITestOutputHelper output)
{
    private const int Callers = 40_000;

    // Enough requests in flight to keep both cores busy with the gateway, not with the client.
    private const int Concurrency = 48;
    private const long PeakLimit = 512L * 1024 * 1024;
    private const string Query = "{ qualityTaskInstances(projectId: \"memory-burst\", first: 10) { totalCount nodes { id name taskType runStatus startTime } } }";

    [Fact]
    public async Task Forty_thousand_callers_in_a_burst_keep_a_memory_only_gateway_under_512_MB()
    {
        // Memory only (no Redis:Configuration) on the embedded emulator: every other setting is
        // the default.
        await using var gateway = await GatewayProcess.StartAsync(GatewayProcess.BuiltGatewayDll, new Dictionary<string, string>
        {
            ["Upstream:UseEmulator"] = "true",
            ["Paging:CursorSecret"] = GatewayServer.CursorSecret,
            ["Ide:Enabled"] = "false",
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { query = Query }));
        var atStart = gateway.Memory();

        using var sampling = new CancellationTokenSource();
        var sampledPeak = atStart.WorkingSet;
        var sampler = Task.Run(async () =>
        {
            using var every = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            try
            {
                while (await every.WaitForNextTickAsync(sampling.Token))
                {
                    sampledPeak = Math.Max(sampledPeak, gateway.Memory().WorkingSet);
                }
            }
            catch (OperationCanceledException)
            {
                // The burst is over.
            }
        });

        var clock = Stopwatch.StartNew();
        var (failures, firstFailure) = await BurstAsync(http, gateway.GraphQLEndpoint, body, Callers);
        var elapsed = clock.Elapsed;
        await sampling.CancelAsync();
        await sampler;
        var atEnd = gateway.Memory();

        // The limit was reached (the gateway says so), and what it kept is the newest caller.
        var newest = await CacheStatusAsync(http, gateway.GraphQLEndpoint, body, Callers - 1);

        output.WriteLine($"{Callers} callers in {elapsed.TotalSeconds:0.0} s ({Callers / elapsed.TotalSeconds:0} requests/s, {Concurrency} in flight); "
            + $"working set {Mb(atStart.WorkingSet)} MB at start, {Mb(atEnd.WorkingSet)} MB at the end, peak {Mb(atEnd.PeakWorkingSet)} MB (VmHWM), {Mb(sampledPeak)} MB sampled; "
            + $"last caller again: {newest}");
        Assert.True(failures == 0, $"{failures} of {Callers} requests failed, e.g. {firstFailure}\n{gateway.Output}");
        Assert.True(atEnd.PeakWorkingSet < PeakLimit, $"peak working set {Mb(atEnd.PeakWorkingSet)} MB, limit {Mb(PeakLimit)} MB");
        Assert.Contains("The in-process cache is full (Cache:MemoryLimitBytes", gateway.Output, StringComparison.Ordinal);
        Assert.Equal("HIT", newest);
    }

    [Fact]
    public async Task When_a_bursts_entries_expire_an_idle_gateway_gives_the_memory_back()
    {
        // A short TTL and a small limit, so that the burst fills the cache past its limit and
        // expires within seconds; nothing is asked after it.
        await using var gateway = await GatewayProcess.StartAsync(GatewayProcess.BuiltGatewayDll, new Dictionary<string, string>
        {
            ["Upstream:UseEmulator"] = "true",
            ["Paging:CursorSecret"] = GatewayServer.CursorSecret,
            ["Ide:Enabled"] = "false",
            ["Cache:Ttl"] = "00:00:02",
            ["Cache:VolatileTtl"] = "00:00:02",
            ["Cache:StaleTtl"] = "00:00:00",
            ["Cache:MemoryLimitBytes"] = (32 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new { query = Query }));
        var atStart = gateway.Memory().WorkingSet;

        var (failures, firstFailure) = await BurstAsync(http, gateway.GraphQLEndpoint, body, 4_000);
        var afterBurst = gateway.Memory().WorkingSet;

        // Back to at most half of what the burst added, within 20 s (the entries expire after 2 s).
        var target = atStart + ((afterBurst - atStart) / 2);
        var clock = Stopwatch.StartNew();
        var now = afterBurst;
        await Eventually.HoldsAsync(() => Task.FromResult((now = gateway.Memory().WorkingSet) <= target), TimeSpan.FromSeconds(20));

        output.WriteLine($"working set {Mb(atStart)} MB at start, {Mb(afterBurst)} MB after 4,000 callers, {Mb(now)} MB {clock.Elapsed.TotalSeconds:0.0} s later");
        Assert.True(failures == 0, $"{failures} requests failed, e.g. {firstFailure}");
        Assert.True(now <= target, $"the working set stayed at {Mb(now)} MB (after the burst {Mb(afterBurst)} MB, at start {Mb(atStart)} MB)");
    }

    /// <summary>One first page for each of <paramref name="callers"/> distinct callers, <see cref="Concurrency"/> at a time.</summary>
    private static async Task<(long Failures, string? FirstFailure)> BurstAsync(HttpClient http, Uri endpoint, byte[] body, int callers)
    {
        long failures = 0;
        string? firstFailure = null;
        await Parallel.ForEachAsync(Enumerable.Range(0, callers), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (caller, cancellationToken) =>
        {
            var (status, text) = await AskAsync(http, endpoint, body, caller, cacheInfo: false, cancellationToken);
            if (status != 200 || text.Contains("\"errors\"", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref failures);
                Interlocked.CompareExchange(ref firstFailure, $"caller {caller}: {status} {text}", null);
            }
        });
        return (failures, firstFailure);
    }

    private static async Task<string> CacheStatusAsync(HttpClient http, Uri endpoint, byte[] body, int caller)
    {
        var (status, text) = await AskAsync(http, endpoint, body, caller, cacheInfo: true, CancellationToken.None);
        Assert.True(status == 200, text);
        return JsonNode.Parse(text)!["extensions"]!["cache"]!["qualityTaskInstances"]!["status"]!.GetValue<string>();
    }

    private static async Task<(int Status, string Text)> AskAsync(HttpClient http, Uri endpoint, byte[] body, int caller, bool cacheInfo, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Auth-Token", $"burst-caller-{caller:D5}");
        request.Headers.TryAddWithoutValidation("workspace", "ws-burst");
        if (cacheInfo)
        {
            request.Headers.TryAddWithoutValidation("X-Cache-Info", "1");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static long Mb(long bytes) => bytes / 1024 / 1024;
}
