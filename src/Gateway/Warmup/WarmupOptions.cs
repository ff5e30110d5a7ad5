using System.ComponentModel.DataAnnotations;

namespace Gateway.Warmup;

/// <summary>
/// The warm-up pass a replica runs through its own HTTP endpoint before /health/ready turns
/// ready, so that the JIT's first tiers are paid before traffic arrives instead of by the
/// first users (docs/performance.md, "Full speed seconds after start").
/// </summary>
public sealed class WarmupOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "Warmup";

    /// <summary>Run the warm-up pass at start-up. Off: ready as soon as the dependencies are. Default: true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long the pass sends requests. Bounded so that start-up to ready stays under 3 s on a
    /// small replica; the JIT keeps promoting what the pass made hot in the background after it.
    /// Default: 1.5 s; 0 to 30 s (0: no pass).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// After the pass, how long readiness may wait for the JIT to finish promoting what the pass
    /// made hot (<see cref="JitSettle"/>): a later ready for faster first seconds.
    /// Default: 0 (ready right after the pass); 0 to 30 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan JitSettleLimit { get; set; } = TimeSpan.Zero;
}

/// <summary>The generated validator of <see cref="WarmupOptions"/> (its ranges).</summary>
[Microsoft.Extensions.Options.OptionsValidator]
public sealed partial class WarmupOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<WarmupOptions>;
