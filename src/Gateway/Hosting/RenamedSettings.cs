namespace Gateway.Hosting;

/// <summary>
/// Settings that moved to the folder that uses them. A deployment still setting an old key gets
/// a start-up failure naming the new one, rather than a value silently ignored.
/// </summary>
public static class RenamedSettings
{
    /// <summary>Old key, new key.</summary>
    public static readonly IReadOnlyList<(string Old, string New)> All =
    [
        ("GraphQL:MaxRequestBodyBytes", "Http:MaxRequestBodyBytes"),
        ("GraphQL:MaxBatchSize", "Http:MaxBatchSize"),
        ("Cache:ResponseTtl", "Http:ResponseTtl"),
        ("Cache:ResponseCacheBytes", "Http:ResponseCacheBytes"),
    ];

    /// <summary>One message for every old key that is set.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return All
            .Where(setting => configuration[setting.Old] is not null)
            .Select(setting => $"{setting.Old} is no longer read; it is now {setting.New}.");
    }
}
