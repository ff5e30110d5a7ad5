using Gateway.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// The one way to Redis. Every Redis caller sends its commands through the gate, which owns
/// what happens when Redis is slow or down, the same for all of them: each command is bounded by
/// the timeout of its <see cref="RedisTraffic"/>; a failure or timeout is a reply the caller
/// treats as "no Redis" (a miss, a replica acting alone), never an error; after a few failures
/// in a row Redis is left alone (<see cref="RedisFailureBackoff"/>) and one command probes it;
/// while the connection is down no command is sent at all. Failures are counted
/// (gateway.redis.failures) and logged once per outage.
/// Without Redis:Configuration the gate is disabled: every command answers <see cref="RedisReply{T}.None"/>
/// at once, so no caller needs to know whether Redis exists.
/// </summary>
public sealed partial class RedisGate
{
    private readonly RedisConnection? _connection;
    private readonly RedisFailureBackoff _backoff;
    private readonly GatewayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly RedisOptions _options;
    private readonly ILogger<RedisGate> _logger;

    /// <param name="connection">The connection, or null for a gate without Redis.</param>
    /// <param name="keys">Every key's shape, exposed as <see cref="Keys"/>.</param>
    /// <param name="metrics">Counts failures (gateway.redis.failures).</param>
    /// <param name="time">The clock of the backoff and of command timeouts.</param>
    /// <param name="options">Redis:OperationTimeout and Redis:CoordinationTimeout bound commands; Redis:FailureBackoff and Redis:MaxFailureBackoff pace the probes after failures.</param>
    /// <param name="logger">Logs once when Redis degrades and once when it recovers.</param>
    public RedisGate(RedisConnection? connection, RedisKeys keys, GatewayMetrics metrics, TimeProvider time, IOptions<RedisOptions> options, ILogger<RedisGate> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _connection = connection;
        Keys = keys;
        _metrics = metrics;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _backoff = new RedisFailureBackoff(time, options.Value);
        if (connection is not null)
        {
            // News that may end an outage (a connection restored, a new topology) ends the wait.
            connection.Changed += _backoff.OnChange;
        }
    }

    /// <summary>Every key's shape.</summary>
    public RedisKeys Keys { get; }

    /// <summary>Redis:Configuration is set: commands are sent while Redis works.</summary>
    public bool IsEnabled => _connection is not null;

    /// <summary>Commands can be sent right now (configured, connected); says nothing of the backoff.</summary>
    public bool IsConnected => _connection is { IsConnected: true };

    /// <summary>Since when Redis has been failing, or null while it works.</summary>
    public DateTimeOffset? FailingSince => _backoff.FailingSince;

    /// <summary>For a library that takes the multiplexer itself (HybridCache's Redis level); its commands still go through <see cref="RunAsync{T}"/>.</summary>
    public Task<IConnectionMultiplexer> ConnectAsync() =>
        _connection?.GetAsync() ?? throw new InvalidOperationException("Redis:Configuration is not set.");

    /// <summary>Sends one command, bounded by its traffic's timeout; no reply when Redis cannot answer it in time.</summary>
    public async Task<RedisReply<T>> RunAsync<T>(RedisTraffic traffic, string operation, Func<IDatabase, Task<T>> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var admission = Admit(traffic, operation);
        if (admission == RedisAdmission.Skip)
        {
            return RedisReply<T>.None;
        }

        try
        {
            var database = (await _connection!.GetAsync()).GetDatabase();

            // The timeout bounds what a slow or paused Redis adds to a request; the command
            // itself may finish later, unobserved.
            var value = await command(database).WaitAsync(Timeout(traffic), _time, cancellationToken);
            OnSuccess();
            return new RedisReply<T>(true, value);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnFailure(traffic, operation, admission, exception);
            return RedisReply<T>.None;
        }
        catch
        {
            // The request went away: no verdict on Redis, but a probe must not stay pending.
            _backoff.OnAbandoned(admission);
            throw;
        }
    }

    /// <summary>A command without a value; true when Redis carried it out.</summary>
    public async Task<bool> RunAsync(RedisTraffic traffic, string operation, Func<IDatabase, Task> command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var reply = await RunAsync(traffic, operation, async database =>
        {
            await command(database);
            return true;
        }, cancellationToken);
        return reply.Answered;
    }

    /// <summary>A synchronous cache command (the synchronous IDistributedCache members), bounded by the client's own SyncTimeout.</summary>
    public RedisReply<T> Run<T>(string operation, Func<T> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var admission = Admit(RedisTraffic.Cache, operation);
        if (admission == RedisAdmission.Skip)
        {
            return RedisReply<T>.None;
        }

        try
        {
            var value = command();
            OnSuccess();
            return new RedisReply<T>(true, value);
        }
        catch (Exception exception)
        {
            OnFailure(RedisTraffic.Cache, operation, admission, exception);
            return RedisReply<T>.None;
        }
    }

    /// <summary>
    /// A command nobody waits for (it carries CommandFlags.FireAndForget), sent only while
    /// connected; if it is lost, what it would have done happens by expiry.
    /// </summary>
    public void Send(string operation, Func<IDatabase, Task> command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_connection is not { IsConnected: true } connection)
        {
            return;
        }

        try
        {
            // The asynchronous API: the synchronous one may block this thread on the
            // connection's write lock, even for a command whose reply nobody reads.
            _ = command(connection.GetAsync().Result.GetDatabase());
        }
        catch (Exception exception)
        {
            _metrics.RedisFailure(Name(RedisTraffic.Coordination), operation);
            LogSendFailed(_logger, operation, exception.GetType().Name);
        }
    }

    /// <summary>A real round trip to Redis for the readiness check, whatever the backoff says.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        if (_connection is not { IsConnected: true } connection)
        {
            return false;
        }

        try
        {
            await (await connection.GetAsync()).GetDatabase().PingAsync().WaitAsync(_options.OperationTimeout, _time, cancellationToken);
            OnSuccess();
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnFailure(RedisTraffic.Cache, "ping", RedisAdmission.Send, exception);
            return false;
        }
    }

    /// <summary>
    /// A step run once at start-up with the connect timeout as its budget: the first command of a
    /// process pays for JIT and scripts being loaded, which must not count as Redis being slow
    /// once traffic arrives.
    /// </summary>
    public async Task WarmUpAsync(string operation, Func<IDatabase, Task> step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (_connection is not { IsConnected: true } connection)
        {
            return;
        }

        try
        {
            await step((await connection.GetAsync()).GetDatabase()).WaitAsync(_options.ConnectTimeout, _time, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnFailure(RedisTraffic.Coordination, operation, RedisAdmission.Send, exception);
        }
    }
}
