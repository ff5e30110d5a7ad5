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

    public LiveMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(GatewayMetrics.MeterName);
        _polls = meter.CreateCounter<long>("gateway.live.polls", "{poll}", "Polls of the upstream made by live feeds, by outcome (success or an error code).");
        _deferred = meter.CreateCounter<long>("gateway.live.polls.deferred", "{poll}", "Polls put off because the caller's feeds had used Live:MaxBudgetShare of its upstream budget.");
        _events = meter.CreateCounter<long>("gateway.live.events", "{event}", "Changes handed to subscribers.");
        _subscriptions = meter.CreateUpDownCounter<long>("gateway.live.subscriptions", "{subscription}", "Subscriptions open on this replica.");
    }

    public void Poll(string outcome) => _polls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void PollDeferred() => _deferred.Add(1);

    public void Delivered(int count)
    {
        if (count > 0)
        {
            _events.Add(count);
        }
    }

    public void Subscribed(int delta) => _subscriptions.Add(delta);
}
