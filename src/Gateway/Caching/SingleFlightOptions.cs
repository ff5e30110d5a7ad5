using System.ComponentModel.DataAnnotations;

namespace Gateway.Caching;

/// <summary>
/// The cross-replica claim on a cold block. The claim lives only while its holder works on it:
/// a short lease, renewed by the holder while it fetches, so a holder that dies stalls the
/// others for at most one lease. Cross-field rules (validated at start, in
/// CachingServiceCollectionExtensions): RenewInterval shorter than half the Lease, PollInterval
/// shorter than the Lease, MaxWait longer than Upstream:Deadline plus Upstream:Budget:MaxQueueWait.
/// </summary>
public sealed class SingleFlightOptions
{
    /// <summary>The configuration section these options bind.</summary>
    public const string Section = "Cache:SingleFlight";

    /// <summary>
    /// How long a claim lives unless its holder renews it: how long a holder that died (a crash,
    /// kill -9) can hold up the replicas waiting for it. Default: 2 s; 100 ms to 1 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How often the holder extends its claim back to a full lease while it fetches. Under half
    /// the lease, so that one late or lost renewal does not yet let the claim expire under a live fetch.
    /// Default: 500 ms; 10 ms to 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a waiting replica looks for the holder's result in Redis (and for an expired claim to take over). Default: 25 ms; 1 ms to 10 s; shorter than <see cref="Lease"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// The longest a replica waits for one holder before it fetches itself: the safety net for a
    /// holder that is alive (it renews its claim) but never publishes. Longer than a live
    /// holder's fetch may take (Upstream:Deadline, after up to Upstream:Budget:MaxQueueWait in
    /// the budget's queue), so a slow but live fetch is never duplicated. Default: 20 s; 100 ms to 10 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>The generated validator of <see cref="SingleFlightOptions"/>.</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class SingleFlightOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<SingleFlightOptions>;
