using System.Collections.Concurrent;
using System.Text.Json;
using Gateway.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Live.Redis;

/// <summary>
/// The feed's coordination across replicas, through the Redis gate. The poll lease is a key
/// holding the polling replica's id, taken with SET NX and renewed by its holder (one script),
/// expiring on its own when the holder dies: another replica takes it at its next interval. A
/// batch goes out on the feed's pub/sub channel, and every replica joined to the feed hands it to
/// its subscribers. While Redis gives no answer each replica polls for itself and delivers
/// locally, as the gateway's budget and single-flight fall back to acting alone.
/// </summary>
internal sealed partial class RedisLiveCoordinator(RedisGate gate, IOptions<RedisOptions> options, ILogger<RedisLiveCoordinator> logger) : ILiveCoordinator
{
    // 1 when the caller held the lease and renewed it, 2 when it has just taken it, 0 when another holds it.
    private const string HoldScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 1
        end
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
          return 2
        end
        return 0
        """;

    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly string _replica = Guid.NewGuid().ToString("N");
    private readonly TimeSpan _timeout = options.Value.CoordinationTimeout;
    private readonly ConcurrentDictionary<LiveFeedKey, Joined> _joined = new();

    public async ValueTask<IAsyncDisposable> JoinAsync(LiveFeedKey key, Func<LiveBatch, ValueTask> deliver, CancellationToken cancellationToken)
    {
        var joined = new Joined(deliver);
        _joined[key] = joined;
        try
        {
            var subscriber = (await gate.ConnectAsync().WaitAsync(_timeout, cancellationToken)).GetSubscriber();
            var queue = await subscriber.SubscribeAsync(gate.Keys.LiveChannel(key.Value)).WaitAsync(_timeout, cancellationToken);

            // One message at a time, in order: a feed's batches never overtake each other.
            queue.OnMessage(message => OnMessageAsync(joined, message));
            joined.Queue = queue;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException or InvalidOperationException)
        {
            // Subscribers here then get what this replica polls itself.
            LogNotSubscribed(logger, key.ForLog, exception.GetType().Name);
        }

        return new Leave(this, key, joined);
    }

    public async ValueTask<bool> HoldLeaseAsync(LiveFeedKey key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var reply = await gate.RunAsync(
            RedisTraffic.Coordination,
            "live lease",
            database => database.ScriptEvaluateAsync(HoldScript, [gate.Keys.LiveLease(key.Value)], [_replica, (long)Math.Ceiling(ttl.TotalMilliseconds)]),
            cancellationToken);

        // No answer: Redis cannot say who polls, so this replica does (for its own subscribers).
        if (!reply.Answered)
        {
            return true;
        }

        var held = (int)reply.Value;
        if (held == 2)
        {
            LogTookLease(logger, key.ForLog, _replica);
        }

        return held != 0;
    }

    public async ValueTask ReleaseLeaseAsync(LiveFeedKey key) =>
        await gate.RunAsync(RedisTraffic.Coordination, "live release", database => database.ScriptEvaluateAsync(ReleaseScript, [gate.Keys.LiveLease(key.Value)], [_replica]), CancellationToken.None);

    public async ValueTask PublishAsync(LiveFeedKey key, LiveBatch batch, CancellationToken cancellationToken)
    {
        var message = JsonSerializer.Serialize(batch, LiveJsonContext.Default.LiveBatch);
        var reply = await gate.RunAsync(RedisTraffic.Coordination, "live publish", database => database.PublishAsync(gate.Keys.LiveChannel(key.Value), message), cancellationToken);

        // Redis did not carry it to this replica's own subscription: hand it over directly.
        if (_joined.TryGetValue(key, out var joined) && (!reply.Answered || joined.Queue is null))
        {
            await joined.Deliver(batch);
        }
    }

    private static async Task OnMessageAsync(Joined joined, ChannelMessage message)
    {
        if (message.Message.IsNullOrEmpty)
        {
            return;
        }

        LiveBatch? batch;
        try
        {
            batch = JsonSerializer.Deserialize(message.Message.ToString(), LiveJsonContext.Default.LiveBatch);
        }
        catch (JsonException)
        {
            // Not a batch of this version: ignored, like an entry of another key version.
            return;
        }

        if (batch is not null)
        {
            await joined.Deliver(batch);
        }
    }

    // The replica's id is the lease's value in Redis (random per process, nothing about a caller):
    // with it, an operator (or a test) can tell which replica polls a feed now.
    [LoggerMessage(Level = LogLevel.Information, Message = "Live: this replica took the poll lease of feed {Feed} and polls it now (replica {Replica}).")]
    private static partial void LogTookLease(ILogger logger, string feed, string replica);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live: feed {Feed} could not subscribe to its Redis channel ({Reason}); this replica polls for its own subscribers.")]
    private static partial void LogNotSubscribed(ILogger logger, string feed, string reason);

    private sealed class Joined(Func<LiveBatch, ValueTask> deliver)
    {
        public Func<LiveBatch, ValueTask> Deliver => deliver;

        public ChannelMessageQueue? Queue { get; set; }
    }

    private sealed class Leave(RedisLiveCoordinator owner, LiveFeedKey key, Joined joined) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            owner._joined.TryRemove(new KeyValuePair<LiveFeedKey, Joined>(key, joined));
            if (joined.Queue is { } queue)
            {
                try
                {
                    await queue.UnsubscribeAsync().WaitAsync(owner._timeout);
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    // The connection is gone; so is the subscription.
                }
            }
        }
    }
}
