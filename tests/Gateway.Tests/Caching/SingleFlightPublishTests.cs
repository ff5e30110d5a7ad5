using Gateway.Caching;
using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Gateway.Tests.Caching;

/// <summary>
/// The holder of a cold block's claim answers as soon as the block is fetched and publishes it
/// afterwards, still under the claim, which took the caller's budget permit in its round trip.
/// </summary>
[Collection(CacheCollection.Name)]
public sealed class SingleFlightPublishTests(CacheFixture fixture)
{
    // The gateway's default Redis:InstanceName, which prefixes every key it writes.
    private const string Prefix = "quality-gateway:";

    private static readonly InstanceBlock Fetched = new(1, DateTimeOffset.UnixEpoch, []);

    [Fact]
    public async Task The_holder_answers_before_publishing_and_keeps_its_claim_until_the_block_is_published()
    {
        await using var gateway = fixture.Gateway();
        var singleFlight = gateway.Services.GetRequiredService<DistributedSingleFlight>();
        // A caller of its own: the budget and the pending count are per caller.
        var caller = $"publish-test-{Guid.NewGuid():N}";
        var key = $"qg1:block:{{{caller}}}:0";
        await using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        var claimedWhileFetching = false;
        bool? permitTakenByClaim = null;
        var publishing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var block = await singleFlight.RunAsync(
            key,
            caller,
            async (permitTaken, _) =>
            {
                permitTakenByClaim = permitTaken;
                claimedWhileFetching = await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight");
                return Fetched;
            },
            async _ =>
            {
                publishing.SetResult();
                await published.Task;
            },
            refresh: false,
            CancellationToken.None);

        // Answered while the publish is still under way, and the claim still held for it.
        Assert.Same(Fetched, block);
        Assert.True(claimedWhileFetching, "the claim must be in Redis while the holder fetches");
        Assert.True(permitTakenByClaim, "the claim's round trip takes the caller's budget permit too");
        Assert.Equal(1, await redis.GetDatabase().SortedSetLengthAsync($"{Prefix}qg1:budget:{{{caller}}}"));
        await publishing.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"), "the claim must be held until the block is published");
        Assert.Equal(1, (long)await redis.GetDatabase().StringGetAsync($"{Prefix}qg1:pending:{{{caller}}}"));

        // Released, and the publish no longer pending, as soon as the publish completes.
        published.SetResult();
        await Eventually.UntilAsync(async () => !await redis.GetDatabase().KeyExistsAsync(Prefix + key + ":flight"), TimeSpan.FromSeconds(5), "the claim was not released after the publish");
        Assert.Equal(0, (long)await redis.GetDatabase().StringGetAsync($"{Prefix}qg1:pending:{{{caller}}}"));
    }
}
