using Gateway.Telemetry;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;

namespace Gateway.Caching;

/// <summary>
/// Wraps the Redis cache so that Redis trouble is a degradation, never an outage: every
/// operation is bounded by a timeout, a failure turns into a miss (reads) or a no-op (writes),
/// and after a few failures in a row Redis is left alone for a while (<see cref="RedisFailureBackoff"/>)
/// instead of being hammered by every request. One operation after the backoff probes it, so
/// caching resumes by itself, and at once when the client reports a restored connection or a
/// new cluster topology. While the connection is down (StackExchange.Redis reconnects in the
/// background) Redis is not even tried.
/// </summary>
public sealed partial class ResilientDistributedCache(
    IDistributedCache inner,
    RedisConnection connection,
    GatewayMetrics metrics,
    TimeProvider time,
    IOptions<RedisOptions> options,
    ILogger<ResilientDistributedCache> logger) : IDistributedCache
{
    private readonly RedisOptions _options = options.Value;
    private readonly RedisFailureBackoff _backoff = Following(connection, new RedisFailureBackoff(time, options.Value));

    /// <summary>Since when Redis has been failing, or null while it works.</summary>
    public DateTimeOffset? FailingSince => _backoff.FailingSince;

    // HybridCache only uses the async members; the synchronous ones call Redis's synchronous
    // API (bounded by its SyncTimeout) rather than blocking on the async one.
    public byte[]? Get(string key)
    {
        byte[]? value = null;
        Run("get", () => value = inner.Get(key));
        return value;
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        byte[]? value = null;
        await RunAsync("get", async ct => value = await inner.GetAsync(key, ct), token);
        return value;
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Run("set", () => inner.Set(key, value, options));

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        RunAsync("set", ct => inner.SetAsync(key, value, options, ct), token);

    public void Refresh(string key) => Run("refresh", () => inner.Refresh(key));

    public Task RefreshAsync(string key, CancellationToken token = default) => RunAsync("refresh", ct => inner.RefreshAsync(key, ct), token);

    public void Remove(string key) => Run("remove", () => inner.Remove(key));

    public Task RemoveAsync(string key, CancellationToken token = default) => RunAsync("remove", ct => inner.RemoveAsync(key, ct), token);

    /// <summary>
    /// One read through the Redis cache at start-up, with the connect timeout as its budget:
    /// the first operation of a process pays for JIT and the cache's own set-up, which must not
    /// count as Redis being slow once traffic arrives.
    /// </summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        if (!connection.IsConnected)
        {
            return;
        }

        try
        {
            var key = _options.InstanceName + "warm-up";
            var entry = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(10) };
            await inner.SetAsync(key, [1], entry, cancellationToken).WaitAsync(_options.ConnectTimeout, time, cancellationToken);
            await inner.GetAsync(key, cancellationToken).WaitAsync(_options.ConnectTimeout, time, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            OnFailure(RedisAdmission.Send, exception);
        }
    }

    /// <summary>A real round trip to Redis, for the readiness check.</summary>
    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var probed = false;
        await RunAsync(
            "probe",
            async ct =>
            {
                await (await connection.GetAsync()).GetDatabase().PingAsync();
                probed = true;
            },
            cancellationToken,
            ignoreBackoff: true);
        return probed;
    }

    private void Run(string operation, Action action)
    {
        var admission = Admit();
        if (admission == RedisAdmission.Skip)
        {
            metrics.CacheL2Error(operation);
            return;
        }

        try
        {
            action();
            OnSuccess();
        }
        catch (Exception exception)
        {
            metrics.CacheL2Error(operation);
            OnFailure(admission, exception);
        }
    }

    private async Task RunAsync(string operation, Func<CancellationToken, Task> action, CancellationToken cancellationToken, bool ignoreBackoff = false)
    {
        var admission = ignoreBackoff ? (connection.IsConnected ? RedisAdmission.Send : RedisAdmission.Skip) : Admit();
        if (admission == RedisAdmission.Skip)
        {
            metrics.CacheL2Error(operation);
            return;
        }

        try
        {
            // The timeout bounds what a slow or paused Redis can add to a request; the
            // operation itself may finish later in the background, unobserved.
            await action(cancellationToken).WaitAsync(_options.OperationTimeout, time, cancellationToken);
            OnSuccess();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.CacheL2Error(operation);
            OnFailure(admission, exception);
        }
        catch
        {
            // The request went away: no verdict on Redis, but a probe must not stay pending.
            _backoff.OnAbandoned(admission);
            throw;
        }
    }

    private static RedisFailureBackoff Following(RedisConnection connection, RedisFailureBackoff backoff)
    {
        connection.Changed += backoff.OnChange;
        return backoff;
    }

    private RedisAdmission Admit()
    {
        if (!connection.IsConnected)
        {
            if (_backoff.OnDisconnected())
            {
                LogDegraded(logger, "Disconnected", "the connection to Redis is down");
            }

            return RedisAdmission.Skip;
        }

        return _backoff.Admit();
    }

    private void OnSuccess()
    {
        if (_backoff.OnSuccess() is { } since)
        {
            LogRecovered(logger, time.GetUtcNow() - since);
        }
    }

    private void OnFailure(RedisAdmission admission, Exception exception)
    {
        // One warning when Redis goes away, not one per request while it stays away.
        if (_backoff.OnFailure(admission))
        {
            LogDegraded(logger, exception.GetType().Name, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is failing ({ExceptionType}: {Reason}); serving from memory and the upstream until it is back.")]
    private static partial void LogDegraded(ILogger logger, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis is back after {Downtime}; the shared cache is in use again.")]
    private static partial void LogRecovered(ILogger logger, TimeSpan downtime);
}
