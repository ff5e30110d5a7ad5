using System.ComponentModel.DataAnnotations;

namespace Gateway.Live;

/// <summary>The live change feed (subscriptions): how often it polls, what it may spend, and its limits.</summary>
public sealed class LiveOptions
{
    /// <summary>The configuration section: Live.</summary>
    public const string Section = "Live";

    /// <summary>How often a feed asks the upstream for the head of its list (block 0, refreshed).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most of a caller's upstream budget (Upstream:Budget) that the caller's feeds together
    /// may take; past it the feeds poll less often instead of starving the caller's queries.
    /// </summary>
    [Range(0.01, 1.0)]
    public double MaxBudgetShare { get; set; } = 0.25;

    /// <summary>Subscriptions one caller may hold at once (on one replica).</summary>
    [Range(1, 10_000)]
    public int MaxSubscriptionsPerCaller { get; set; } = 20;

    /// <summary>Subscriptions one WebSocket connection may hold at once.</summary>
    [Range(1, 1_000)]
    public int MaxSubscriptionsPerConnection { get; set; } = 10;

    /// <summary>How often an idle connection is pinged (WebSocket ping frames; an SSE comment line).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a WebSocket may take to send connection_init before it is closed (4408).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ConnectionInitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a WebSocket may stay open without any subscription before it is closed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest wait between two polls while the upstream keeps failing (the interval doubles up to it).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Events one subscriber may have waiting; a subscriber further behind is ended (SUBSCRIBER_TOO_SLOW).</summary>
    [Range(1, 100_000)]
    public int MaxQueuedEvents { get; set; } = 256;
}

/// <summary>The generated validator of <see cref="LiveOptions"/>: every range above.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class LiveOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<LiveOptions>;
