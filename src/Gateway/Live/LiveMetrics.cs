using System.Diagnostics.Metrics;
using Gateway.Telemetry;

namespace Gateway.Live;

/// <summary>The feed's instruments, on the gateway's meter. Tags are outcomes only, never a caller or a project.</summary>
public sealed class LiveMetrics
{
    private readonly Counter<long> _polls;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _events;
    private readonly UpDownCounter<long> _subscriptions;

    /// <summary>The instruments, on the meter named <see cref="GatewayMetrics.MeterName"/>.</summary>
    public LiveMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GatewayMetrics.MeterName);
        _polls = meter.CreateCounter<long>("gateway.live.polls", "{poll}", "Polls of the upstream made by live feeds, by outcome (success or an error code).");
        _deferred = meter.CreateCounter<long>("gateway.live.polls.deferred", "{poll}", "Polls put off because the caller's feeds had used Live:MaxBudgetShare of its upstream budget.");
        _events = meter.CreateCounter<long>("gateway.live.events", "{event}", "Changes handed to subscribers.");
        _subscriptions = meter.CreateUpDownCounter<long>("gateway.live.subscriptions", "{subscription}", "Subscriptions open on this replica.");
    }

    /// <summary>One poll made, tagged with its outcome ("success" or the error code).</summary>
    public void Poll(string outcome) => _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>One poll put off by the budget share.</summary>
    public void PollDeferred() => _deferred.Add(1);

    /// <summary>Changes handed to subscribers (one per subscriber and change).</summary>
    public void Delivered(int count)
    {
        if (count > 0)
        {
            _events.Add(count);
        }
    }

    /// <summary>A subscription opened (+1) or closed (-1).</summary>
    public void Subscribed(int delta) => _subscriptions.Add(delta);
}
