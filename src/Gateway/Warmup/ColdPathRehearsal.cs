using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gateway.Caching;
using Gateway.Redis;
using Gateway.Upstream;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Warmup;

/// <summary>
/// The warm-up's cold blocks: first pages of projects nobody has asked for, from the pass's
/// made-up caller, so they take the whole cold path (the in-process single-flight, Redis's claim
/// and publish, the budget, the upstream client and its resilience pipeline, JSON) before
/// /health/ready. Their upstream calls are answered inside the process by
/// <see cref="UpstreamRehearsal"/>; what they leave in memory and Redis is removed when the pass
/// ends. A handful per pass, well inside the made-up caller's own budget.
/// </summary>
public sealed class ColdPathRehearsal(UpstreamRehearsal rehearsal, LocalCache local, RedisGate gate, IOptions<UpstreamOptions> upstream, IOptions<SingleFlightOptions> singleFlight, TimeProvider time)
{
    private const string ProjectPrefix = "warm-up-cold-";

    // The made-up list every rehearsed call answers from.
    private const int ListLength = 3 * InstanceBlock.Size;

    private int _taken;

    /// <summary>How many cold blocks one pass may fetch: at most 24, and half the caller's budget.</summary>
    public int Limit => Math.Min(24, upstream.Value.Budget.PermitLimit / 2);

    /// <summary>Upstream calls the cold blocks of this pass made, all answered in process.</summary>
    public int UpstreamCalls => rehearsal.Answered;

    /// <summary>Starts answering <paramref name="credentials"/>' upstream calls in process.</summary>
    public void Begin(UpstreamCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _taken = 0;
        rehearsal.Begin(credentials.Token, Answer);
    }

    /// <summary>The project of the next cold block, or null once <see cref="Limit"/> are taken.</summary>
    public string? NextProject()
    {
        var taken = Interlocked.Increment(ref _taken);
        return taken <= Limit ? Project(taken) : null;
    }

    /// <summary>No more cold blocks in this pass (one failed: the pass goes on with warm ones).</summary>
    public void Stop() => Interlocked.Exchange(ref _taken, int.MaxValue / 2);

    /// <summary>
    /// Stops answering in process and removes what the cold blocks left, here and in Redis. A
    /// block is published to Redis after its page is answered, so the removal waits (at most one
    /// Cache:SingleFlight:Lease) until the caller has no publish pending.
    /// </summary>
    public async Task EndAsync(UpstreamCredentials credentials, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        rehearsal.End();
        var caller = credentials.CallerKey;
        var pending = gate.Keys.PendingPublishes(caller);
        var giveUpAt = time.GetUtcNow() + singleFlight.Value.Lease;
        while (gate.IsEnabled && time.GetUtcNow() < giveUpAt)
        {
            var reply = await gate.RunAsync(RedisTraffic.Cache, "warm-up-pending", database => database.StringGetAsync(pending), cancellationToken);
            if (!reply.Answered || !reply.Value.TryParse(out long count) || count <= 0)
            {
                break;
            }

            await Task.Delay(singleFlight.Value.PollInterval, time, cancellationToken);
        }

        var redisKeys = new List<RedisKey> { gate.Keys.Budget(caller), gate.Keys.Entities(caller), gate.Keys.PendingPublishes(caller) };
        for (var n = 1; n <= Limit; n++)
        {
            var key = CacheKeys.Block(caller, new InstanceListScope(Project(n), InstanceFilter.None), InstanceBlock.Size, 0);
            local.Remove(key);
            redisKeys.Add(gate.Keys.SharedBlock(key));
        }

        local.Remove(CacheKeys.EntityBlocks(caller));

        // One slot: every key carries the made-up caller's hash tag.
        RedisKey[] keys = [.. redisKeys];
        gate.Send("warm-up-cleanup", database => database.KeyDeleteAsync(keys, CommandFlags.FireAndForget));
    }

    // The n-th cold block's project: named in one place, so that the clean-up finds every one.
    private static string Project(int n) => ProjectPrefix + n.ToString(CultureInfo.InvariantCulture);

    /// <summary>A 200 as the upstream writes it, for the window the call asks for.</summary>
    private static HttpResponseMessage Answer(HttpRequestMessage request)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri?.Query ?? "");
        var offset = int.TryParse(query["offset"], CultureInfo.InvariantCulture, out var o) ? Math.Max(0, o) : 0;
        var limit = int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Max(0, l) : InstanceBlock.Size;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var resources = Enumerable.Range(offset, Math.Max(0, Math.Min(limit, ListLength - offset))).Select(index => new InstanceOverviewDto
        {
            Id = 2_000_000_000_000_000_001L + (2L * index),
            Name = "warm-up-cold",
            TaskId = 2_000_000_000_000_000_001L,
            TaskType = index % 3 == 0 ? "CONSISTENCY_TASK" : "QUALITY_TASK",
            RunStatus = index % 5 == 0 ? "RUNNING" : "SUCCESS",
            NotifyStatus = "NOT_TRIGGERED",
            StartTime = now - (60_000L * index),
            EndTime = index % 5 == 0 ? null : now - (60_000L * index) + 30_000,
        }).ToList();
        var body = JsonSerializer.SerializeToUtf8Bytes(new InstanceListResponse { Count = ListLength, Resources = resources }, UpstreamJsonContext.Default.InstanceListResponse);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }
}
