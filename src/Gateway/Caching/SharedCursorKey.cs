using Gateway.Paging;
using Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Caching;

/// <summary>
/// Without Paging:CursorSecret, replicas on one Redis agree on one cursor key through it, so any
/// replica continues any cursor with no extra setting. The first replica's random key is set
/// with SET NX (created once, atomically) and never expires; every replica adopts whatever is
/// there. The key is offered again every <see cref="RecheckInterval"/>: a Redis that evicted or
/// lost it gets back the key the replicas already use. A replica that has not agreed yet (Redis
/// was down at its start, or the answer timed out) asks every second instead, and adopts the
/// shared key as soon as Redis answers (its own earlier cursors keep decoding, see
/// <see cref="CursorCodec.UseKey"/>).
/// </summary>
public sealed partial class SharedCursorKey(RedisGate gate, CursorCodec codec, IOptions<PagingOptions> paging, TimeProvider time, ILogger<SharedCursorKey> logger) : BackgroundService
{
    /// <summary>How often (30 s), once agreed, the key is offered to Redis again, restoring a lost entry.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromSeconds(30);

    // Offers ARGV[1] unless a key is there already, and returns the one that is.
    private const string AgreeScript = """
        redis.call('set', KEYS[1], ARGV[1], 'NX')
        return redis.call('get', KEYS[1])
        """;

    // This process's own random key until Redis names the shared one; then the shared one, so
    // that a lost entry is restored as the replicas use it.
    private byte[] _inUse = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private bool _agreed;

    /// <summary>Agrees on the key before the gateway serves its first cursor, bounded by the coordination timeout.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A configured secret wins; without Redis the codec keeps its own process key.
        if (!gate.IsEnabled || !string.IsNullOrEmpty(paging.Value.CursorSecret))
        {
            return;
        }

        codec.UseKey(_inUse);
        await AgreeAsync(cancellationToken);
        if (!_agreed)
        {
            LogNotYetShared(logger);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until Redis has named the key, this replica rejects the others' cursors: asked again
        // every second rather than at the 30 s recheck (a start-up reply can time out under load).
        while (!_agreed)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
            await AgreeAsync(stoppingToken);
        }

        using var timer = new PeriodicTimer(RecheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await AgreeAsync(stoppingToken);
        }
    }

    private async Task AgreeAsync(CancellationToken cancellationToken)
    {
        // No reply: tried again at the next interval; until then the process signs with what it has.
        var shared = await gate.RunAsync(RedisTraffic.Coordination, "cursor-key", async database => (string?)await database.ScriptEvaluateAsync(AgreeScript, [gate.Keys.CursorKey], [Convert.ToBase64String(_inUse)]), cancellationToken);
        if (shared.Value is null || !TryDecode(shared.Value, out var bytes))
        {
            return;
        }

        codec.UseKey(bytes);
        _inUse = bytes;
        if (!_agreed)
        {
            _agreed = true;
            LogShared(logger, gate.Keys.CursorKey.ToString());
        }
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[32];
        return Convert.TryFromBase64String(text, bytes, out var written) && written == 32;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Paging:CursorSecret is not set: cursors are signed with the key the replicas share in Redis ('{Key}').")]
    private static partial void LogShared(ILogger logger, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Paging:CursorSecret is not set and Redis is not reachable yet: cursors are signed with this process's own key until Redis answers, and until then other replicas reject them (INVALID_CURSOR). Set Paging:CursorSecret, the same on every replica, to depend on neither.")]
    private static partial void LogNotYetShared(ILogger logger);
}
