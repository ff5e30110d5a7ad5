using BenchmarkDotNet.Attributes;

namespace Gateway.Benchmarks;

/// <summary>
/// One complete GraphQL request whose blocks are cached: read the body, parse (or find the
/// parsed document), validate, execute against the block cache, serialize the response.
/// </summary>
public class RequestBenchmarks
{
    /// <summary>
    /// Which caches are on: none (the baseline of the same run), parsed documents, and parsed
    /// documents plus reused responses (the default configuration).
    /// </summary>
    [Params("none", "documents", "documents+responses")]
    public string Caches { get; set; } = "documents+responses";

    private InProcessGateway _gateway = null!;
    private byte[] _firstPage = [];
    private byte[] _nextPage = [];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _gateway = await InProcessGateway.StartAsync(new Dictionary<string, string?>
        {
            ["GraphQL:CacheDocuments"] = (Caches != "none").ToString(),
            ["Http:ResponseTtl"] = Caches == "documents+responses" ? "00:00:01" : "00:00:00",
        });
        _firstPage = InProcessGateway.Body(InProcessGateway.FirstPageQuery);

        // The same document with the cursor as a variable: what a client paging forward sends.
        var first = await _gateway.PostForTextAsync(_firstPage);
        var endCursor = System.Text.Json.Nodes.JsonNode.Parse(first)!["data"]!["qualityTaskInstances"]!["pageInfo"]!["endCursor"]!.GetValue<string>();
        _nextPage = InProcessGateway.Body(
            "query Next($after: String) { qualityTaskInstances(projectId: \"bench-project\", first: 10, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id name taskId taskType runStatus notifyStatus startTime endTime } } }",
            $"{{\"after\":\"{endCursor}\"}}");
        await _gateway.PostForTextAsync(_nextPage);
    }

    [GlobalCleanup]
    public async Task CleanupAsync() => await _gateway.DisposeAsync();

    [Benchmark]
    public Task<int> CachedFirstPage() => _gateway.PostAsync(_firstPage, Stream.Null);

    [Benchmark]
    public Task<int> CachedNextPageWithVariables() => _gateway.PostAsync(_nextPage, Stream.Null);
}
