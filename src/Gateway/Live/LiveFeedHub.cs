using Gateway.GraphQL;
using Gateway.Upstream;
using Microsoft.Extensions.Options;

namespace Gateway.Live;

/// <summary>
/// This process's feeds, one per (caller, project, normalized filter): a subscription joins the
/// feed of its key, or starts it; when the last subscriber of a feed leaves, the feed stops
/// polling at once and gives its lease up. Also counts each caller's subscriptions against
/// Live:MaxSubscriptionsPerCaller, and ends every subscription on shutdown.
/// </summary>
public sealed class LiveFeedHub : IAsyncDisposable
{
    private readonly Dictionary<LiveFeedKey, LiveFeed> _feeds = [];
    private readonly Dictionary<string, int> _perCaller = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly LiveFeedServices _services;
    private readonly List<Task> _stopping = [];
    private bool _shutDown;

    /// <summary>A hub over the coordination, budget share and head source the feed is composed with.</summary>
    public LiveFeedHub(ILiveCoordinator coordinator, ILiveBudgetShare share, IHeadSource head, IOptions<LiveOptions> options, TimeProvider time, LiveMetrics metrics, ILogger<LiveFeedHub> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _services = new LiveFeedServices(coordinator, share, head, options.Value, time, metrics, logger);
    }

    /// <summary>Feeds with subscribers in this process (for tests and metrics).</summary>
    public int FeedCount
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>The keys of the feeds with subscribers in this process.</summary>
    public IReadOnlyList<LiveFeedKey> Feeds
    {
        get
        {
            lock (_gate)
            {
                return [.. _feeds.Keys];
            }
        }
    }

    /// <summary>Takes one of the caller's subscription slots, or refuses with SUBSCRIPTION_LIMIT_EXCEEDED.</summary>
    public LiveReservation Reserve(UpstreamCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var limit = _services.Options.MaxSubscriptionsPerCaller;
        lock (_gate)
        {
            if (_shutDown)
            {
                throw new GatewayError(ErrorCodes.UpstreamUnavailable, "The gateway is shutting down; subscribe again (another replica will answer).");
            }

            var held = _perCaller.GetValueOrDefault(credentials.CallerKey);
            if (held >= limit)
            {
                throw new GatewayError(ErrorCodes.SubscriptionLimitExceeded, $"This caller already holds {limit} subscriptions (Live:MaxSubscriptionsPerCaller); end one first.");
            }

            _perCaller[credentials.CallerKey] = held + 1;
        }

        _services.Metrics.Subscribed(1);
        return new LiveReservation(this, credentials);
    }

    /// <summary>Subscribes <paramref name="observer"/> to the feed of the reservation's caller and this list.</summary>
    internal IDisposable Attach(LiveReservation reservation, InstanceListScope scope, IObserver<object?> observer)
    {
        var key = new LiveFeedKey(reservation.Credentials.CallerKey, scope);
        LiveFeed? feed = null;
        var subscriber = new LiveSubscriber(observer, _services.Options.MaxQueuedEvents, leaving => Leave(reservation, feed!, leaving));
        lock (_gate)
        {
            if (!_feeds.TryGetValue(key, out feed) || feed.Ended)
            {
                feed = new LiveFeed(key, reservation.Credentials, _services);
                _feeds[key] = feed;
                feed.Start();
            }

            feed.Add(subscriber);
            if (_shutDown)
            {
                subscriber.End(null);
            }
        }

        return subscriber;
    }

    internal void Release(LiveReservation reservation)
    {
        lock (_gate)
        {
            var key = reservation.Credentials.CallerKey;
            if (_perCaller.TryGetValue(key, out var held))
            {
                if (held <= 1)
                {
                    _perCaller.Remove(key);
                }
                else
                {
                    _perCaller[key] = held - 1;
                }
            }
        }

        _services.Metrics.Subscribed(-1);
    }

    /// <summary>Graceful shutdown: every subscription completes (the transports send <c>complete</c>), every feed stops.</summary>
    public async Task ShutdownAsync()
    {
        LiveFeed[] feeds;
        lock (_gate)
        {
            _shutDown = true;
            feeds = [.. _feeds.Values];
        }

        foreach (var feed in feeds)
        {
            feed.EndAll(null);
        }

        await Task.WhenAll(feeds.Select(feed => feed.StopAsync()));
    }

    /// <summary>Shuts down, then waits for every feed's poll loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        await ShutdownAsync();
        Task[] stopping;
        lock (_gate)
        {
            stopping = [.. _stopping];
        }

        await Task.WhenAll(stopping);
    }

    private void Leave(LiveReservation reservation, LiveFeed feed, LiveSubscriber subscriber)
    {
        reservation.Dispose();
        lock (_gate)
        {
            if (!feed.Remove(subscriber))
            {
                return;
            }

            if (_feeds.TryGetValue(feed.Key, out var current) && ReferenceEquals(current, feed))
            {
                _feeds.Remove(feed.Key);
            }

            _stopping.RemoveAll(task => task.IsCompleted);
            _stopping.Add(feed.StopAsync());
        }
    }
}

/// <summary>One of a caller's subscription slots, held from the stream's resolution until its subscriber leaves.</summary>
public sealed class LiveReservation(LiveFeedHub hub, UpstreamCredentials credentials) : IDisposable
{
    private int _released;

    /// <summary>The caller's credentials: the feed polls with them (they are never logged).</summary>
    public UpstreamCredentials Credentials => credentials;

    /// <summary>Frees the slot (once).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            hub.Release(this);
        }
    }
}
