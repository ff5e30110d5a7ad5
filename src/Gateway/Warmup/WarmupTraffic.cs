using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Caching;
using Gateway.Http;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Memory;

namespace Gateway.Warmup;

/// <summary>
/// The warm-up's requests and the data they read. The caller is made up per process and most
/// of its blocks are put in this replica's memory beforehand; a few are cold and take the whole
/// cold path, their upstream calls answered in process (<see cref="ColdPathRehearsal"/>). So the
/// pass never calls the upstream and never spends anyone's budget but its own; what it leaves is
/// removed when it ends.
/// The requests are what users send: a first page with every field and edges (the HOT shape,
/// sent again verbatim, so response reuse runs too), cursor-following walks with variables
/// across a block boundary, with and without a filter, a last page, and a GET.
/// </summary>
public sealed class WarmupTraffic(LocalCache local, ColdPathRehearsal cold, TimeProvider time)
{
    private const string ProjectId = "warm-up";
    private const int Blocks = 3;
    private const int Walkers = 4;
    private const int PagesPerWalk = 12;

    private const string Fields = "id name taskId taskType runStatus notifyStatus startTime endTime";
    private static readonly string FirstPage = FirstPageOf(ProjectId);
    private const string Walk = "query WarmUp($first: Int, $after: String, $where: QualityTaskInstanceFilterInput) { qualityTaskInstances(projectId: \"" + ProjectId + "\", first: $first, after: $after, where: $where) { totalCount pageInfo { hasNextPage endCursor } nodes { " + Fields + " } } }";
    private const string LastPage = "{ qualityTaskInstances(projectId: \"" + ProjectId + "\", last: 10) { totalCount pageInfo { hasPreviousPage startCursor } nodes { id runStatus } } }";

    private static readonly InstanceFilter Failed = new(RunStatus: QualityRunStatus.Failed);

    /// <summary>Sends the requests to <paramref name="gateway"/> for <paramref name="duration"/>; returns how many were answered.</summary>
    public async Task<int> RunAsync(Uri gateway, TimeSpan duration, CancellationToken cancellationToken)
    {
        var credentials = new UpstreamCredentials("warm-up-" + Guid.NewGuid().ToString("N"), "warm-up");
        var keys = Seed(credentials.CallerKey, duration);
        cold.Begin(credentials);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = gateway, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Add(CallerCredentialsReader.TokenHeader, credentials.Token);
            http.DefaultRequestHeaders.Add(CallerCredentialsReader.WorkspaceHeader, credentials.Workspace);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.GraphQLResponse));
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var counts = await Task.WhenAll(Enumerable.Range(0, Walkers).Select(walker => WalkUntilAsync(http, walker, until, cancellationToken)));
            return counts.Sum();
        }
        finally
        {
            await cold.EndAsync(credentials, CancellationToken.None);
            foreach (var key in keys)
            {
                local.Remove(key);
            }
        }
    }

    private static string FirstPageOf(string projectId) =>
        "{ qualityTaskInstances(projectId: \"" + projectId + "\", first: 10) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { " + Fields + " } } } }";

    private async Task<int> WalkUntilAsync(HttpClient http, int walker, long until, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var round = walker; Stopwatch.GetTimestamp() < until; round += Walkers)
        {
            (await PostAsync(http, FirstPage, null, cancellationToken)).Dispose();
            sent++;
            if (cold.NextProject() is { } project)
            {
                try
                {
                    using var answer = await PostAsync(http, FirstPageOf(project), null, cancellationToken);
                    sent++;
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The cold path failed (Redis away, say): the warm ones still warm up.
                    cold.Stop();
                }
            }

            // Page sizes vary, so the walks' bytes rarely repeat and most of them execute.
            var variables = new JsonObject
            {
                ["first"] = 8 + (round % 8),
                ["after"] = null,
                ["where"] = round % 2 == 0 ? null : new JsonObject { ["runStatus"] = new JsonObject { ["eq"] = "FAILED" } },
            };
            for (var page = 0; page < PagesPerWalk && Stopwatch.GetTimestamp() < until; page++)
            {
                using var answer = await PostAsync(http, Walk, variables, cancellationToken);
                sent++;
                variables["after"] = answer.RootElement.GetProperty("data").GetProperty("qualityTaskInstances").GetProperty("pageInfo").GetProperty("endCursor").GetString();
            }

            (await PostAsync(http, LastPage, null, cancellationToken)).Dispose();
            using var get = await http.GetAsync(new Uri("graphql?query=" + Uri.EscapeDataString(FirstPage), UriKind.Relative), cancellationToken);
            get.EnsureSuccessStatusCode();
            sent += 2;
        }

        return sent;
    }

    private static async Task<JsonDocument> PostAsync(HttpClient http, string query, JsonObject? variables, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["query"] = query, ["variables"] = variables?.DeepClone() }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("graphql", UriKind.Relative), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        if (answer.RootElement.TryGetProperty("errors", out var errors))
        {
            answer.Dispose();
            throw new InvalidOperationException("A warm-up request was answered with errors: " + errors.GetRawText());
        }

        return answer;
    }

    /// <summary>Three blocks of the unfiltered list and of one filtered list, for the made-up caller.</summary>
    private List<string> Seed(string callerScope, TimeSpan duration)
    {
        var keys = new List<string>();
        var now = time.GetUtcNow();
        foreach (var scope in new[] { new InstanceListScope(ProjectId, InstanceFilter.None), new InstanceListScope(ProjectId, Failed) })
        {
            for (var index = 0; index < Blocks; index++)
            {
                var key = CacheKeys.Block(callerScope, scope, InstanceBlock.Size, index);
                var block = new InstanceBlock(Blocks * InstanceBlock.Size, now, Items(index, scope.Filter.RunStatus ?? QualityRunStatus.Success, now));
                local.Set(key, block, CacheEntrySizes.Block(key, block), duration + TimeSpan.FromSeconds(10), CacheItemPriority.NeverRemove, LocalEntryKind.Block);
                keys.Add(key);
            }
        }

        return keys;
    }

    private static QualityTaskInstance[] Items(int blockIndex, QualityRunStatus status, DateTimeOffset now) =>
        [.. Enumerable.Range(blockIndex * InstanceBlock.Size, InstanceBlock.Size).Select(offset => new QualityTaskInstance(
            1_000_000_000_000_000_001L + (2L * offset),
            string.Create(CultureInfo.InvariantCulture, $"warm-up-{offset % 7}"),
            1_000_000_000_000_000_001L,
            offset % 3 == 0 ? QualityTaskType.ConsistencyTask : QualityTaskType.QualityTask,
            status,
            QualityNotifyStatus.NotTriggered,
            now.AddMinutes(-offset),
            now.AddMinutes(-offset).AddSeconds(30)))];
}
