using Gateway.Redis;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Redis;

/// <summary>When the cache leaves a failing Redis alone and when it tries again, on a fake clock.</summary>
public sealed class RedisFailureBackoffTests
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(2);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly RedisFailureBackoff _backoff;

    public RedisFailureBackoffTests() =>
        _backoff = new RedisFailureBackoff(_time, new RedisOptions { FailureBackoff = First, MaxFailureBackoff = Max });

    [Fact]
    public void Two_failures_in_a_row_are_a_hiccup_the_third_opens_the_backoff()
    {
        Fail(2);
        Assert.Equal(RedisAdmission.Send, _backoff.Admit());

        Fail(1);
        Assert.Equal(RedisAdmission.Skip, _backoff.Admit());
        Assert.Equal(_time.GetUtcNow(), _backoff.FailingSince);
    }

    [Fact]
    public void After_the_wait_exactly_one_operation_probes_and_the_others_keep_skipping()
    {
        Fail(3);
        _time.Advance(First);

        Assert.Equal(RedisAdmission.Probe, _backoff.Admit());
        Assert.Equal(RedisAdmission.Skip, _backoff.Admit());
        Assert.Equal(RedisAdmission.Skip, _backoff.Admit());
    }

    [Fact]
    public void A_burst_of_concurrent_failures_does_not_lengthen_the_wait()
    {
        // Every request in flight when a node dies fails at about the same moment: these were
        // all sent before the backoff began and say nothing new about Redis.
        var inFlight = Enumerable.Range(0, 20).Select(_ => _backoff.Admit()).ToList();
        foreach (var admission in inFlight)
        {
            _backoff.OnFailure(admission);
        }

        _time.Advance(First);
        Assert.Equal(RedisAdmission.Probe, _backoff.Admit());
    }

    [Fact]
    public void Each_failed_probe_doubles_the_wait_up_to_the_maximum()
    {
        Fail(3);
        var waits = new List<TimeSpan>();
        for (var probe = 0; probe < 5; probe++)
        {
            waits.Add(WaitUntilProbe());
            _backoff.OnFailure(RedisAdmission.Probe);
        }

        Assert.Equal([First, First * 2, First * 4, Max, Max], waits);
    }

    [Fact]
    public void A_successful_probe_ends_the_outage()
    {
        Fail(3);
        _time.Advance(First);
        var started = _backoff.FailingSince;

        Assert.Equal(RedisAdmission.Probe, _backoff.Admit());
        Assert.Equal(started, _backoff.OnSuccess());

        Assert.Equal(RedisAdmission.Send, _backoff.Admit());
        Assert.Null(_backoff.FailingSince);
    }

    [Fact]
    public void News_from_the_client_ends_the_wait_at_once_for_one_probe()
    {
        Fail(3);
        for (var probe = 0; probe < 4; probe++)
        {
            WaitUntilProbe();
            _backoff.OnFailure(RedisAdmission.Probe);
        }

        // A restored connection or a new topology (a promoted replica): try now, not in 2 s.
        _backoff.OnChange();

        Assert.Equal(RedisAdmission.Probe, _backoff.Admit());
        Assert.Equal(RedisAdmission.Skip, _backoff.Admit());
    }

    [Fact]
    public void A_probe_abandoned_by_its_request_lets_the_next_operation_probe()
    {
        Fail(3);
        _time.Advance(First);
        var probe = _backoff.Admit();

        _backoff.OnAbandoned(probe);

        Assert.Equal(RedisAdmission.Probe, _backoff.Admit());
    }

    [Fact]
    public void Only_the_first_failure_of_an_outage_is_reported_for_logging()
    {
        Assert.True(_backoff.OnFailure(RedisAdmission.Send));
        Assert.False(_backoff.OnFailure(RedisAdmission.Send));
        Assert.False(_backoff.OnDisconnected());

        _backoff.OnSuccess();
        Assert.True(_backoff.OnDisconnected());
    }

    private void Fail(int times)
    {
        for (var i = 0; i < times; i++)
        {
            _backoff.OnFailure(_backoff.Admit());
        }
    }

    /// <summary>Advances the clock in 100 ms steps until a probe is admitted; returns how long that took.</summary>
    private TimeSpan WaitUntilProbe()
    {
        var waited = TimeSpan.Zero;
        while (_backoff.Admit() != RedisAdmission.Probe)
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            waited += TimeSpan.FromMilliseconds(100);
            Assert.True(waited <= TimeSpan.FromMinutes(1), "no probe within a minute");
        }

        return waited;
    }
}
