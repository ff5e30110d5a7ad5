using System.ComponentModel.DataAnnotations;

namespace Gateway.Upstream;

public sealed class UpstreamOptions
{
    public const string Section = "Upstream";

    /// <summary>
    /// The DataArts Studio endpoint, e.g. https://dataarts.cn-north-4.myhuaweicloud.com. Empty:
    /// the gateway hosts the emulator in-process and calls that.
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Used when a query names no projectId.</summary>
    public string? DefaultProjectId { get; set; }

    /// <summary>Time allowed for one upstream call before it counts as UPSTREAM_TIMEOUT.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
