namespace Gateway.Redis;

/// <summary>What <see cref="RedisFailureBackoff.Admit"/> allows one Redis operation to do.</summary>
public enum RedisAdmission
{
    /// <summary>Redis works (or has failed fewer than three times in a row): send it.</summary>
    Send,

    /// <summary>Redis is being left alone: do not send it.</summary>
    Skip,

    /// <summary>The one operation that finds out whether Redis is back.</summary>
    Probe,
}

/// <summary>
/// When to leave a failing Redis alone, and when to try it again. After three failures in a
/// row Redis is skipped for Redis:FailureBackoff; then exactly one operation probes it, and
/// only a failed probe doubles the wait (up to Redis:MaxFailureBackoff). Operations that were
/// already on their way when the backoff began fail too, but they say nothing new, so they do
/// not lengthen it: counting them let a burst of concurrent failures (every request in flight
/// when a cluster master died) push the wait to its maximum at once, and the cache then stayed
/// away for up to 10 s after the cluster had recovered. News from the client that something
/// changed (a connection restored, a new topology) ends the wait, so the next operation
/// probes at once.
/// </summary>
public sealed class RedisFailureBackoff(TimeProvider time, RedisOptions options)
{
    // One slow answer is a hiccup; this many in a row is a Redis to leave alone for a while.
    internal const int FailuresBeforeBackoff = 3;

    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private int _failedProbes;
    private bool _probing;
    private DateTimeOffset _skipUntil = DateTimeOffset.MinValue;
    private DateTimeOffset? _failingSince;

    /// <summary>Since when Redis has been failing, or null while it works.</summary>
    public DateTimeOffset? FailingSince
    {
        get
        {
            lock (_gate)
            {
                return _failingSince;
            }
        }
    }

    /// <summary>Whether the next operation may go to Redis; a <see cref="RedisAdmission.Probe"/> must be reported back.</summary>
    public RedisAdmission Admit()
    {
        lock (_gate)
        {
            if (_consecutiveFailures < FailuresBeforeBackoff)
            {
                return RedisAdmission.Send;
            }

            // One probe at a time: against a stalled Redis every operation sent costs its
            // timeout, so one request pays for finding out, not all those arriving meanwhile.
            if (_probing || time.GetUtcNow() < _skipUntil)
            {
                return RedisAdmission.Skip;
            }

            _probing = true;
            return RedisAdmission.Probe;
        }
    }

    /// <summary>An operation succeeded; returns since when Redis had been failing, if it had.</summary>
    public DateTimeOffset? OnSuccess()
    {
        lock (_gate)
        {
            var recoveredFrom = _failingSince;
            _failingSince = null;
            _consecutiveFailures = 0;
            _failedProbes = 0;
            _probing = false;
            _skipUntil = DateTimeOffset.MinValue;
            return recoveredFrom;
        }
    }

    /// <summary>An operation failed; returns true for the first failure of an outage (the one to log).</summary>
    public bool OnFailure(RedisAdmission admission)
    {
        lock (_gate)
        {
            var first = _failingSince is null;
            _failingSince ??= time.GetUtcNow();
            if (admission == RedisAdmission.Probe)
            {
                _probing = false;
                _failedProbes = Math.Min(_failedProbes + 1, 16);
                _skipUntil = time.GetUtcNow() + Delay(_failedProbes);
            }
            else if (_consecutiveFailures < FailuresBeforeBackoff && ++_consecutiveFailures == FailuresBeforeBackoff)
            {
                _skipUntil = time.GetUtcNow() + Delay(0);
            }

            return first;
        }
    }

    /// <summary>A probe that ended without an answer (its request was cancelled): the next operation probes instead.</summary>
    public void OnAbandoned(RedisAdmission admission)
    {
        if (admission == RedisAdmission.Probe)
        {
            lock (_gate)
            {
                _probing = false;
            }
        }
    }

    /// <summary>Redis is unreachable (the client has no connection); returns true when that starts an outage.</summary>
    public bool OnDisconnected()
    {
        lock (_gate)
        {
            var first = _failingSince is null;
            _failingSince ??= time.GetUtcNow();
            return first;
        }
    }

    /// <summary>
    /// The client reports that something changed (a connection restored, a new topology): what
    /// failed may work now, so the wait ends and the next operation probes. Each change lets
    /// one probe through, and a failed probe still doubles the wait.
    /// </summary>
    public void OnChange()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_skipUntil > now)
            {
                _skipUntil = now;
            }
        }
    }

    private TimeSpan Delay(int failedProbes)
    {
        var doubled = options.FailureBackoff.TotalMilliseconds * Math.Pow(2, failedProbes);
        return TimeSpan.FromMilliseconds(Math.Min(doubled, options.MaxFailureBackoff.TotalMilliseconds));
    }
}
