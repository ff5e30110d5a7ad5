using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Redis;

/// <summary>
/// The shape of every key the gateway touches in Redis, in one place. Every key starts with
/// Redis:InstanceName, so one Redis can serve several deployments. Callers appear only as
/// <c>UpstreamCredentials.CallerKey</c> (a SHA-256 of token and workspace), never as a token.
/// </summary>
/// <remarks>
/// Every per-caller key carries the caller as its Redis Cluster hash tag (<c>{caller}</c>), so all
/// of one caller's keys live in one slot: the cold-block script reads the block, claims it and
/// takes the caller's budget permit in one round trip, and a script may only touch keys of one
/// slot. The price is that one caller's keys are not spread over the cluster; callers are.
/// </remarks>
public sealed class RedisKeys(IOptions<RedisOptions> options)
{
    /// <summary>Bumped whenever a stored value's shape or meaning changes, so old entries are ignored.</summary>
    public const string Version = "qg1";

    private readonly string _prefix = options.Value.InstanceName;

    /// <summary>The key prefix, Redis:InstanceName.</summary>
    public string Prefix => _prefix;

    /// <summary>
    /// A block published for the other replicas (a string in the gateway's own stored form, see
    /// <c>RedisBlockStore</c>): the instance name followed by the block's cache key, which carries
    /// the caller's hash tag.
    /// </summary>
    public RedisKey SharedBlock(string cacheKey) => new(_prefix + cacheKey);

    /// <summary>
    /// The single-flight claim on a block. It extends the block's key, so it shares the
    /// block's Redis Cluster hash tag and a script may touch both.
    /// </summary>
    public RedisKey Claim(string cacheKey) => new(_prefix + cacheKey + ":flight");

    /// <summary>
    /// The claim on refreshing a stale block in the background (stale-while-revalidate):
    /// one replica refreshes it, once per freshness period. Shares the entry's hash tag, like
    /// <see cref="Claim"/>.
    /// </summary>
    public RedisKey Refresh(string cacheKey) => new(_prefix + cacheKey + ":refresh");

    /// <summary>One caller's sliding window of upstream calls, shared by the replicas.</summary>
    public RedisKey Budget(string callerKey) => new(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:budget:{{{callerKey}}}"));

    /// <summary>
    /// The instances one caller has seen in blocks (one hash per caller, field = id): the
    /// upstream cannot look an instance up by id, so entity resolution can only ever return what
    /// the same caller was shown.
    /// </summary>
    public RedisKey Entities(string callerScope) => new(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:ent:{{{callerScope}}}"));

    /// <summary>
    /// How many of one caller's blocks are claimed and not yet published: a block is answered
    /// before it reaches Redis, so an entity lookup on another replica that finds nothing waits
    /// while this is above zero instead of answering "not found" too early.
    /// </summary>
    public RedisKey PendingPublishes(string callerScope) => new(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:pending:{{{callerScope}}}"));

    /// <summary>Which replica polls one live feed (the value is that replica's id); <paramref name="feed"/> is the caller hash and the list's fingerprint.</summary>
    public RedisKey LiveLease(string feed) => new(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:live:lease:{feed}"));

    /// <summary>The pub/sub channel on which a live feed's poller sends its batches to every replica with subscribers.</summary>
    public RedisChannel LiveChannel(string feed) => RedisChannel.Literal(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:live:{feed}"));

    /// <summary>One caller's sliding window of live polls, Live:MaxBudgetShare of its budget, shared by the replicas.</summary>
    public RedisKey LiveShare(string callerKey) => new(string.Create(CultureInfo.InvariantCulture, $"{_prefix}{Version}:live:share:{callerKey}"));

    /// <summary>The cursor-signing key the replicas share when no Paging:CursorSecret is configured.</summary>
    public RedisKey CursorKey => new(_prefix + Version + ":cursor-key");

    /// <summary>A key written and read once at start-up, so the first request does not pay for first use.</summary>
    public RedisKey WarmUp => new(_prefix + Version + ":warm-up");
}
