using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Reliability;

/// <summary>
/// The shared upstream budget falls back to this replica's own count when Redis is unreachable
/// or dies, so a caller keeps its budget (never more) rather than failing or going unlimited.
/// The budget is taken from the real gateway's container, however the gateway composes it.
/// </summary>
public sealed class BudgetFallbackTests
{
    private const int PermitLimit = 3;
    private static readonly UpstreamCredentials Caller = new("token-budget-fallback", "ws-budget");

    [Fact]
    public async Task With_redis_unreachable_from_the_start_each_caller_gets_its_budget_in_this_replica()
    {
        await using var gateway = Gateway($"127.0.0.1:{RedisServer.FreePort()}");
        var budget = gateway.Services.GetRequiredService<IUpstreamBudget>();

        await TakeAsync(budget, Caller, PermitLimit);

        await AssertExhaustedAsync(budget, Caller);
        await TakeAsync(budget, new UpstreamCredentials("token-budget-fallback", "ws-other"), 1);
    }

    [Fact]
    public async Task When_redis_dies_the_budget_is_counted_in_this_replica_instead()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var gateway = Gateway(redis.Configuration);
        var budget = gateway.Services.GetRequiredService<IUpstreamBudget>();

        // Counted in Redis while it is there: the caller's window is a key of its own.
        await TakeAsync(budget, Caller, 1);
        Assert.Equal(1, await redis.KeyCountAsync($"*:budget:{{{Caller.CallerKey}}}"));

        await redis.KillAsync();

        // The replica's own count starts afresh: the whole budget, and not one call more.
        await TakeAsync(budget, Caller, PermitLimit);
        await AssertExhaustedAsync(budget, Caller);
    }

    private static GatewayServer Gateway(string redisConfiguration) =>
        new(new Uri("http://127.0.0.1:9/"), new Dictionary<string, string?>
        {
            ["Redis:Configuration"] = redisConfiguration,
            ["Upstream:Budget:PermitLimit"] = PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Upstream:Budget:Window"] = "00:10:00",
            ["Upstream:Budget:MaxQueueWait"] = "00:00:00",
        });

    private static async Task TakeAsync(IUpstreamBudget budget, UpstreamCredentials caller, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            using var permit = await budget.AcquireAsync(caller, CancellationToken.None);
        }
    }

    private static async Task AssertExhaustedAsync(IUpstreamBudget budget, UpstreamCredentials caller)
    {
        var refused = await Assert.ThrowsAsync<UpstreamException>(async () => await budget.AcquireAsync(caller, CancellationToken.None));
        Assert.Equal(UpstreamErrorKind.RateLimited, refused.Kind);
    }
}
