using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Upstream;

/// <summary>The subset of filters the upstream can honour, already in upstream terms.</summary>
public sealed record InstanceFilter(
    string? Name = null,
    QualityTaskType? TaskType = null,
    QualityRunStatus? RunStatus = null,
    QualityNotifyStatus? NotifyStatus = null,
    DateTimeOffset? StartFrom = null,
    DateTimeOffset? StartTo = null)
{
    /// <summary>No filter: every run of the project.</summary>
    public static InstanceFilter None { get; } = new();
}

/// <summary>
/// What identifies a result list at the upstream: the project and the filter. Its fingerprint
/// ties cursors and cache entries to exactly one list.
/// </summary>
public sealed class InstanceListScope
{
    /// <summary>The list of one project's runs matching <paramref name="filter"/>; computes the fingerprint once.</summary>
    /// <param name="projectId">The upstream project id, the path segment of the list call.</param>
    /// <param name="filter">The filter, already in upstream terms.</param>
    public InstanceListScope(string projectId, InstanceFilter filter)
    {
        ProjectId = projectId;
        Filter = filter;
        var canonical = Canonicalize(projectId, filter);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        Fingerprint = BitConverter.ToUInt64(hash, 0);
        FingerprintHex = Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    /// <summary>The upstream project id (the <c>{project_id}</c> path segment), as the caller gave it or Upstream:DefaultProjectId.</summary>
    public string ProjectId { get; }

    /// <summary>The filter sent as query parameters of every call for this list.</summary>
    public InstanceFilter Filter { get; }

    /// <summary>64 bits of the SHA-256 of the canonical query: small enough for a cursor.</summary>
    public ulong Fingerprint { get; }

    /// <summary>128 bits of the same hash, for cache keys.</summary>
    public string FingerprintHex { get; }

    // One canonical text per distinct upstream query: the same filter always hashes the same,
    // whatever order or spelling the GraphQL input used.
    private static string Canonicalize(string projectId, InstanceFilter filter)
    {
        var builder = new StringBuilder();
        builder.Append("project=").Append(projectId.Length).Append(':').Append(projectId);
        if (filter.Name is { } name)
        {
            builder.Append("|name=").Append(name.Length).Append(':').Append(name);
        }

        Append(builder, "task_type", UpstreamValues.ToUpstream(filter.TaskType));
        Append(builder, "run_status", UpstreamValues.ToUpstream(filter.RunStatus));
        Append(builder, "notify_status", UpstreamValues.ToUpstream(filter.NotifyStatus));
        Append(builder, "start_time", filter.StartFrom?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        Append(builder, "end_time", filter.StartTo?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return builder.ToString();
    }

    private static void Append(StringBuilder builder, string key, string? value)
    {
        if (value is not null)
        {
            builder.Append('|').Append(key).Append('=').Append(value);
        }
    }
}
