namespace Gateway.Caching;

/// <summary>Where one block of a field came from, as <c>extensions.cache</c> reports it (HIT, MISS, REFRESH); ordered so the worst outcome of a field's blocks wins.</summary>
public enum CacheOutcome
{
    /// <summary>Served from memory or Redis.</summary>
    Hit,

    /// <summary>Served from memory or Redis past its freshness (within Cache:StaleTtl), while it is fetched again in the background.</summary>
    Stale,

    /// <summary>Fetched from the upstream: cold, expired, or stale.</summary>
    Miss,

    /// <summary>Fetched from the upstream because the request said Cache-Control: no-cache.</summary>
    Refresh,
}

/// <summary>What one request asks of the cache, and where it collects how fresh its data was.</summary>
public sealed class CacheRequest
{
    /// <summary>An ordinary read: cached copies are welcome and nothing is reported.</summary>
    public static CacheRequest Default { get; } = new(refresh: false, report: null);

    /// <summary>What the request asks of the cache.</summary>
    /// <param name="refresh">True for Cache-Control: no-cache: skip cached copies.</param>
    /// <param name="report">Collects outcomes for <c>extensions.cache</c>, or null when the caller did not ask for them.</param>
    public CacheRequest(bool refresh, CacheReport? report)
    {
        Refresh = refresh;
        Report = report;
    }

    /// <summary>Skip cached copies and store what the upstream answers (Cache-Control: no-cache).</summary>
    public bool Refresh { get; }

    /// <summary>Where outcomes are collected, when the caller asked to see them.</summary>
    public CacheReport? Report { get; }
}

/// <summary>Per-field cache outcomes of one request, for <c>extensions.cache</c>.</summary>
public sealed class CacheReport
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FieldFreshness> _fields = new(StringComparer.Ordinal);

    /// <summary>Counts one block read for <paramref name="field"/>: the field keeps its worst outcome and its oldest age. Safe from concurrent resolvers.</summary>
    /// <param name="field">The field's alias or name, the key under <c>extensions.cache</c>.</param>
    /// <param name="outcome">Where the block came from.</param>
    /// <param name="age">How long ago the block was fetched from the upstream; reported as whole milliseconds, never negative.</param>
    public void Record(string field, CacheOutcome outcome, TimeSpan age)
    {
        lock (_gate)
        {
            var current = _fields.GetValueOrDefault(field);

            // A field is as stale as its oldest block, and a miss if any block missed.
            _fields[field] = new FieldFreshness(
                current.Blocks == 0 || outcome > current.Outcome ? outcome : current.Outcome,
                Math.Max(current.AgeMilliseconds, (long)Math.Max(0, age.TotalMilliseconds)),
                current.Blocks + 1);
        }
    }

    /// <summary>{ "field": { "status": "HIT", "ageMs": 1234, "blocks": 1 } }</summary>
    public Dictionary<string, object?> ToExtension()
    {
        lock (_gate)
        {
            return _fields.ToDictionary(
                pair => pair.Key,
                pair => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
                {
                    ["status"] = pair.Value.Outcome.ToString().ToUpperInvariant(),
                    ["ageMs"] = pair.Value.AgeMilliseconds,
                    ["blocks"] = pair.Value.Blocks,
                },
                StringComparer.Ordinal);
        }
    }

    private readonly record struct FieldFreshness(CacheOutcome Outcome, long AgeMilliseconds, int Blocks);
}
