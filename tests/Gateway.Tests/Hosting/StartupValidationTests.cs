using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>A misconfigured gateway refuses to start and says which key broke which rule.</summary>
public sealed class StartupValidationTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Upstream:BaseUrl"] = "https://dayu.cn-north-4.myhuaweicloud.com",
    };

    [Fact]
    public async Task Valid_settings_start()
    {
        Assert.Empty(await ConfiguredGateway.FailuresAsync(Valid));
    }

    [Theory]
    [InlineData("Upstream:Budget:PermitLimit", "0", "Upstream:Budget:PermitLimit must be between 1 and")]
    [InlineData("Upstream:Retry:MaxRetries", "11", "Upstream:Retry:MaxRetries must be between 0 and 10")]
    [InlineData("Upstream:CircuitBreaker:FailureRatio", "0", "Upstream:CircuitBreaker:FailureRatio must be between")]
    [InlineData("Upstream:CircuitBreaker:BreakDuration", "00:00:00.100", "Upstream:CircuitBreaker:BreakDuration must be between")]
    [InlineData("Upstream:Budget:Window", "00:00:00", "Upstream:Budget:Window must be between")]
    [InlineData("Upstream:Timeout", "00:00:20", "Upstream:Timeout (one attempt) may not exceed Upstream:Deadline")]
    [InlineData("Upstream:Retry:MaxRetryAfter", "00:00:30", "Upstream:Retry:MaxRetryAfter must be shorter than Upstream:Deadline")]
    [InlineData("Upstream:Region", "north pole", "Upstream:Region must be a Huawei Cloud region id")]
    [InlineData("Paging:MaxPageSize", "500", "Paging:MaxPageSize must be between 1 and 100")]
    [InlineData("Paging:CursorSecret", "short", "Paging:CursorSecret needs at least 16 characters")]
    [InlineData("Cache:VolatileTtl", "00:01:00", "Cache:VolatileTtl (blocks with unfinished runs) may not exceed Cache:Ttl")]
    [InlineData("Cache:SingleFlight:PollInterval", "00:00:00", "Cache:SingleFlight:PollInterval must be between")]
    [InlineData("Cache:MemoryLimitBytes", "1000", "Cache:MemoryLimitBytes must be between 1048576")]
    [InlineData("Redis:OperationTimeout", "00:00:00", "Redis:OperationTimeout must be between")]
    [InlineData("PersistedQueries:Ttl", "00:00:00", "PersistedQueries:Ttl must be between")]
    [InlineData("Cors:AllowedOrigins:0", "*", "Cors:AllowedOrigins: every entry must be an origin")]
    [InlineData("Cors:AllowedOrigins:0", "https://app.example.com/path", "Cors:AllowedOrigins: every entry must be an origin")]
    [InlineData("Cors:PreflightMaxAge", "-00:00:01", "Cors:PreflightMaxAge must be between")]
    [InlineData("Http:MaxBatchSize", "0", "Http:MaxBatchSize must be between 1 and 100")]
    [InlineData("GraphQL:MaxDepth", "0", "GraphQL:MaxDepth must be between 1 and 100")]
    [InlineData("Ide:Enabled", "maybe", "'Ide:Enabled'")]
    public async Task A_bad_value_names_its_key_and_the_rule(string key, string value, string expected)
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>(Valid) { [key] = value });
        Assert.Contains(failures, failure => failure.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Redis:FailureBackoff", "00:00:03", "Redis:MaxFailureBackoff", "00:00:02")]
    [InlineData("Cache:SingleFlight:RenewInterval", "00:00:01", "Cache:SingleFlight:Lease", "00:00:02")]
    [InlineData("Cache:SingleFlight:PollInterval", "00:00:02", "Cache:SingleFlight:Lease", "00:00:02")]
    [InlineData("Cache:SingleFlight:MaxWait", "00:00:14", "Upstream:Deadline", "00:00:12")]
    public async Task Contradicting_settings_name_both_keys(string key, string value, string otherKey, string otherValue)
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>(Valid) { [key] = value, [otherKey] = otherValue });
        Assert.Contains(failures, failure => failure.Contains(key, StringComparison.Ordinal) && failure.Contains(otherKey, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GraphQL:MaxBatchSize", "Http:MaxBatchSize")]
    [InlineData("Cache:ResponseTtl", "Http:ResponseTtl")]
    public async Task A_setting_that_moved_stops_start_up_and_names_its_new_key(string old, string moved)
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>(Valid) { [old] = "5" });
        var failure = Assert.Single(failures);
        Assert.Equal($"{old} is no longer read; it is now {moved}.", failure);
    }

    [Fact]
    public async Task The_in_process_copy_may_not_outlive_the_entry_with_redis()
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>(Valid)
        {
            ["Redis:Configuration"] = "127.0.0.1:1",
            ["Cache:Ttl"] = "00:00:02",
            ["Cache:VolatileTtl"] = "00:00:01",
        });
        Assert.Contains(failures, failure => failure.Contains("Cache:LocalTtl (the in-process copy) may not exceed Cache:Ttl", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Outside_development_a_missing_base_url_stops_start_up()
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>());
        var failure = Assert.Single(failures);
        Assert.Contains("Upstream:BaseUrl is not set", failure, StringComparison.Ordinal);
        Assert.Contains("Upstream:UseEmulator=true", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", null)]
    [InlineData("Production", "true")]
    public async Task The_emulator_runs_in_development_or_when_asked_for(string environment, string? useEmulator)
    {
        Assert.Empty(await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?> { ["Upstream:UseEmulator"] = useEmulator }, environment));
    }

    [Fact]
    public async Task The_emulator_and_a_real_upstream_are_never_both_asked_for()
    {
        var failures = await ConfiguredGateway.FailuresAsync(new Dictionary<string, string?>(Valid) { ["Upstream:UseEmulator"] = "true" });
        Assert.Contains(failures, failure => failure.Contains("choose the real upstream or the emulator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_production_process_without_an_upstream_exits_non_zero_with_one_line_naming_the_setting()
    {
        var result = await ProcessRunner.RunAsync(
            "dotnet",
            [GatewayProcess.BuiltGatewayDll],
            Path.GetDirectoryName(GatewayProcess.BuiltGatewayDll)!,
            TimeSpan.FromMinutes(1),
            new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = "http://127.0.0.1:0", ["Logging__Console__FormatterName"] = "json" });
        Assert.Equal(1, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, line => line.Contains("Upstream:BaseUrl", StringComparison.Ordinal));
        Assert.Contains("Upstream:UseEmulator", line, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, text => text.Contains("   at ", StringComparison.Ordinal));
    }
}
