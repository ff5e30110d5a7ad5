using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Caching;

/// <summary>Cache settings that contradict each other stop the gateway at start, naming the keys.</summary>
public sealed class CacheOptionsValidationTests
{
    // Nothing is called: validation fails before the gateway would reach the upstream.
    private static readonly Uri Upstream = new("http://127.0.0.1:9/");

    [Theory]
    [InlineData("Redis:FailureBackoff", "00:00:03", "Redis:MaxFailureBackoff", "00:00:02")]
    [InlineData("Cache:SingleFlight:RenewInterval", "00:00:01", "Cache:SingleFlight:Lease", "00:00:02")]
    [InlineData("Cache:SingleFlight:PollInterval", "00:00:02", "Cache:SingleFlight:Lease", "00:00:02")]
    [InlineData("Cache:SingleFlight:MaxWait", "00:00:14", "Upstream:Deadline", "00:00:12")]
    public void Contradicting_settings_stop_the_start_naming_both_keys(string key, string value, string otherKey, string otherValue)
    {
        var exception = Record.Exception(() => new GatewayServer(Upstream, new Dictionary<string, string?> { [key] = value, [otherKey] = otherValue }).Dispose());

        Assert.NotNull(exception);
        Assert.Contains(key, exception.ToString(), StringComparison.Ordinal);
        Assert.Contains(otherKey, exception.ToString(), StringComparison.Ordinal);
    }
}
