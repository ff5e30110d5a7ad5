using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// The one Redis connection of the process, opened at start-up (bounded by
/// Redis:ConnectTimeout, never failing start-up) and re-established in the background by
/// StackExchange.Redis. While it is down the cache does not wait for it at all.
/// </summary>
public sealed partial class RedisConnection : IHostedService, IAsyncDisposable
{
    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;

    /// <summary>Prepares the connection to Redis:Configuration; nothing is opened before <see cref="StartAsync"/> or the first <see cref="GetAsync"/>.</summary>
    /// <param name="options">The Redis section.</param>
    /// <param name="logger">Logs connection failures and restorations.</param>
    public RedisConnection(IOptions<RedisOptions> options, ILogger<RedisConnection> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = new(() => ConnectAsync(options.Value, logger, () => Changed?.Invoke()));
    }

    /// <summary>
    /// Raised when the client reports news that may end a failure: a connection (re-)established,
    /// a topology re-read (Sentinel switched masters, a Cluster replica was promoted) or a hash
    /// slot found on another node. Raised on a thread-pool thread, possibly often.
    /// </summary>
    public event Action? Changed;

    /// <summary>True when commands can be sent right now.</summary>
    public bool IsConnected => _connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully && _connection.Value.Result.IsConnected;

    /// <summary>The multiplexer, connecting on first use; the same instance for the life of the process, whether or not it is connected now.</summary>
    public Task<IConnectionMultiplexer> GetAsync() => _connection.Value;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken) => await GetAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated && _connection.Value.IsCompletedSuccessfully)
        {
            await _connection.Value.Result.DisposeAsync();
        }
    }

    /// <summary>
    /// Short timeouts and no failing at start-up: a Redis that is down costs nothing, a slow
    /// one at most about one operation timeout, and reconnection happens in the background.
    /// </summary>
    internal static ConfigurationOptions ConnectionOptions(RedisOptions redis)
    {
        var configuration = ConfigurationOptions.Parse(redis.Configuration ?? throw new InvalidOperationException("Redis:Configuration is not set."));
        configuration.AbortOnConnectFail = false;
        configuration.ConnectTimeout = (int)redis.ConnectTimeout.TotalMilliseconds;
        // Cache reads and writes are cut off sooner, at OperationTimeout, by the cache itself.
        var commandTimeout = (int)Math.Max(redis.OperationTimeout.TotalMilliseconds, redis.CoordinationTimeout.TotalMilliseconds);
        configuration.SyncTimeout = commandTimeout;
        configuration.AsyncTimeout = commandTimeout;
        configuration.ConnectRetry = 1;
        configuration.ReconnectRetryPolicy = new ExponentialRetry((int)redis.FailureBackoff.TotalMilliseconds, (int)redis.MaxFailureBackoff.TotalMilliseconds);
        configuration.ClientName ??= "quality-gateway";
        return configuration;
    }

    private static async Task<IConnectionMultiplexer> ConnectAsync(RedisOptions redis, ILogger logger, Action changed)
    {
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(ConnectionOptions(redis));
        multiplexer.ConnectionRestored += (_, _) => changed();
        multiplexer.ConfigurationChanged += (_, _) => changed();
        multiplexer.HashSlotMoved += (_, _) => changed();
        if (!multiplexer.IsConnected)
        {
            LogNotConnected(logger);
        }

        return multiplexer;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is not reachable at start-up; the gateway serves from memory and the upstream and keeps trying to connect in the background.")]
    private static partial void LogNotConnected(ILogger logger);
}
