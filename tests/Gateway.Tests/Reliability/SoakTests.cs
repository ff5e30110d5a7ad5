using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Tests.Infrastructure;
using QualityApi.Emulator;
using Xunit.Abstractions;

namespace Gateway.Tests.Reliability;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SoakCollection
{
    public const string Name = "soak (runs alone)";
}

/// <summary>
/// About a minute of steady paging traffic on loopback while upstream faults come and go:
/// the only errors are the injected ones, and managed memory stays flat after warm-up.
/// SOAK_SECONDS changes the length (default 60).
/// </summary>
[Collection(SoakCollection.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const string Query = "query($p: String, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: $p, first: 10, after: $after, where: $where) { pageInfo { hasNextPage endCursor } nodes { id name runStatus startTime } } }";
    private static readonly string[] Projects = ["soak-a", "soak-b", "soak-c", "soak-d"];
    private static readonly object?[] Filters = [null, new { runStatus = new { eq = "FAILED" } }, new { taskType = new { eq = "QUALITY_TASK" } }, new { notifyStatus = new { eq = "SUCCESS" } }];
    private static readonly FaultKind[] Faults = [FaultKind.ServerError500, FaultKind.ServiceUnavailable503, FaultKind.Slow, FaultKind.MalformedJson];
    private static readonly HashSet<string> InjectedCodes = ["UPSTREAM_UNAVAILABLE", "UPSTREAM_TIMEOUT", "UPSTREAM_BAD_RESPONSE"];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1.5);

    [Fact]
    public async Task A_minute_of_traffic_with_faults_has_only_the_injected_errors_and_flat_memory()
    {
        var duration = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("SOAK_SECONDS"), out var seconds) ? seconds : 60);
        await using var emulator = await EmulatorServer.StartAsync(new EmulatorOptions { InstancesPerProject = 400, LatencyMilliseconds = 5 });
        await using var gateway = new GatewayServer(emulator.BaseAddress, new Dictionary<string, string?>
        {
            ["Upstream:Timeout"] = "00:00:00.300",
            ["Upstream:Deadline"] = Deadline.ToString(),
            ["Upstream:Retry:MaxRetries"] = "1",
            ["Upstream:Retry:BaseDelay"] = "00:00:00.020",
            ["Upstream:Retry:MaxRetryAfter"] = "00:00:01",

            // Short lifetimes keep the upstream busy for the whole run, faults included.
            ["Cache:Ttl"] = "00:00:02",
            ["Cache:VolatileTtl"] = "00:00:01",
            ["Cache:StaleTtl"] = "00:00:00",
        });

        var clock = Stopwatch.StartNew();
        var windows = new ConcurrentQueue<(TimeSpan From, TimeSpan To)>();
        var unexpected = new ConcurrentQueue<string>();
        long requests = 0, injectedErrors = 0, openSinceTicks = -1;
        long? memoryAfterWarmUp = null;

        // Sleeps on purpose: a soak is defined in wall-clock time (a minute of traffic, a fault
        // every five seconds held for 800 ms) against a gateway and emulator that run on it; a
        // steered clock would not be a soak. The warm-up sample rides on the first pause.
        var injector = Task.Run(async () =>
        {
            var random = new Random(7);
            while (clock.Elapsed < duration - TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                if (memoryAfterWarmUp is null && clock.Elapsed >= duration / 4)
                {
                    memoryAfterWarmUp = SettledManagedMemory();
                }

                var from = clock.Elapsed;
                Interlocked.Exchange(ref openSinceTicks, from.Ticks);
                var kind = Faults[random.Next(Faults.Length)];
                emulator.Control.InjectFault(new Fault(kind, Times: 0, DelayMilliseconds: kind == FaultKind.Slow ? 2_000 : 0));
                await Task.Delay(TimeSpan.FromMilliseconds(800));
                emulator.Control.ClearFaults();
                windows.Enqueue((from, clock.Elapsed));
                Interlocked.Exchange(ref openSinceTicks, -1);
            }
        });

        var workers = Enumerable.Range(0, 6).Select(worker => Task.Run(async () =>
        {
            var random = new Random(100 + worker);
            using var client = new GraphQLClient(gateway.GraphQLEndpoint, $"soak-token-{worker % 3}", "soak-workspace");
            string? after = null;
            var (project, filter) = (Projects[0], Filters[0]);
            while (clock.Elapsed < duration)
            {
                if (after is null)
                {
                    (project, filter) = (Projects[random.Next(Projects.Length)], Filters[random.Next(Filters.Length)]);
                }

                var sent = clock.Elapsed;
                var response = await client.PostAsync(Query, new { p = project, after, where = filter });
                var received = clock.Elapsed;
                Interlocked.Increment(ref requests);
                if (response.Errors is null)
                {
                    var pageInfo = response.Data["qualityTaskInstances"]!["pageInfo"]!;
                    after = pageInfo["hasNextPage"]!.GetValue<bool>() && random.Next(6) > 0 ? pageInfo["endCursor"]!.GetValue<string>() : null;
                    continue;
                }

                // An error is expected only from a request that overlapped a fault window
                // (a closed one, or the one open right now).
                var openSince = Interlocked.Read(ref openSinceTicks);
                var overlapped = windows.Any(window => sent <= window.To + TimeSpan.FromMilliseconds(200) && received >= window.From)
                    || (openSince >= 0 && received >= TimeSpan.FromTicks(openSince));
                if ((int)response.Status >= 500 || !response.ErrorCodes.All(code => code is not null && InjectedCodes.Contains(code)) || !overlapped)
                {
                    unexpected.Enqueue($"{sent}..{received}: {response}");
                }
                else
                {
                    Interlocked.Increment(ref injectedErrors);
                }

                after = null;
            }
        })).ToList();

        await Task.WhenAll(workers);
        await injector;
        Assert.True(memoryAfterWarmUp is not null, $"the run of {duration} was too short to sample memory after warm-up");
        var memoryAtEnd = SettledManagedMemory();

        output.WriteLine($"{requests} requests in {duration.TotalSeconds:0} s, {injectedErrors} injected errors in {windows.Count} fault windows, managed memory {memoryAfterWarmUp / 1024 / 1024} MB after warm-up -> {memoryAtEnd / 1024 / 1024} MB at the end");
        Assert.True(unexpected.IsEmpty, $"{unexpected.Count} unexpected errors, e.g.\n{string.Join('\n', unexpected.Take(5))}");
        Assert.True(requests > duration.TotalSeconds * 20, $"only {requests} requests in {duration}");
        Assert.True(injectedErrors > 0, "no injected fault ever reached a caller: the run proves nothing about faults");
        var growth = memoryAtEnd - memoryAfterWarmUp.Value;
        Assert.True(growth < 30 * 1024 * 1024, $"managed memory grew by {growth / 1024 / 1024} MB after warm-up ({memoryAfterWarmUp / 1024 / 1024} MB -> {memoryAtEnd / 1024 / 1024} MB)");
    }

    private static long SettledManagedMemory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
