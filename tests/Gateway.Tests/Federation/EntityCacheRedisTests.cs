using Gateway.Tests.Infrastructure;
using Gateway.Upstream;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Federation;

/// <summary>Entity entries in the shared Redis: another replica resolves them, and they hold no token.</summary>
[Collection(CacheCollection.Name)]
public sealed class EntityCacheRedisTests(CacheFixture fixture)
{
    [Fact]
    public async Task An_instance_listed_through_one_replica_resolves_through_another_and_redis_holds_no_token()
    {
        await using var first = fixture.Gateway();
        await using var second = fixture.Gateway();
        using var viaFirst = new GraphQLClient(first.GraphQLEndpoint, CacheFixture.AliceToken, CacheFixture.AliceWorkspace);
        using var viaSecond = new GraphQLClient(second.GraphQLEndpoint, CacheFixture.AliceToken, CacheFixture.AliceWorkspace);

        // A filter no other test uses: the block is cold, so this very request fetches it,
        // answers, and publishes its instances to Redis right after. Asked at once, the other
        // replica finds them, or finds the caller's publish pending and waits for it: either
        // way no waiting in the test, and never ENTITY_NOT_FOUND.
        var page = await FederationQueries.ListAsync(viaFirst, "alice-project", 3, new { name = new { eq = "rule-freshness" } });
        var ids = page.Select(node => node["id"]!.GetValue<string>()).ToArray();

        var response = await FederationQueries.ResolveAsync(viaSecond, ids);

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal(page.Select(Instance.FromGateway), response.Data["_entities"]!.AsArray().Select(node => Instance.FromGateway(node!)));
        var entries = await fixture.Redis.DumpAsync();
        Assert.Contains(entries, entry => entry.Key.Contains(":qg1:ent:", StringComparison.Ordinal) && entry.Value.Split('\n').Any(field => field.StartsWith(ids[0] + "=", StringComparison.Ordinal)));
        Assert.All(entries, entry =>
        {
            Assert.DoesNotContain(CacheFixture.AliceToken, entry.Key, StringComparison.Ordinal);
            Assert.DoesNotContain(CacheFixture.AliceToken, entry.Value, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_in_process_copy_of_an_instance_lives_for_the_local_TTL_and_Redis_answers_after_it()
    {
        // The in-process copy's age is judged on the gateway's TimeProvider: steered here. The
        // Redis entries keep Cache:Ttl (30 s) on Redis's own clock, far from running out.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = fixture.Gateway(new Dictionary<string, string?> { ["Cache:LocalTtl"] = "00:00:03" }, time: time);
        using var client = new GraphQLClient(gateway.GraphQLEndpoint, CacheFixture.CarolToken, "ws-local-ttl");
        var first = (await FederationQueries.ListAsync(client, "local-ttl-first", 2)).Select(node => node["id"]!.GetValue<string>()).ToArray();

        // Only memory holds them now: found within the local TTL. The instances reach Redis just
        // after the answer; deleted before they land, they would land after the deletion.
        var entities = $"*:ent:{{{new UpstreamCredentials(CacheFixture.CarolToken, "ws-local-ttl").CallerKey}}}";
        await Eventually.UntilAsync(async () => await fixture.Redis.KeyCountAsync(entities) > 0, TimeSpan.FromSeconds(10), "the first page's instances never reached Redis");
        await fixture.Redis.DeleteKeysAsync("*:ent:*");
        var fromMemory = await FederationQueries.ResolveAsync(client, first);
        Assert.True(fromMemory.Errors is null, fromMemory.ToString());

        // Listed after the deletion, so Redis holds these (and only these).
        var second = (await FederationQueries.ListAsync(client, "local-ttl-second", 2)).Select(node => node["id"]!.GetValue<string>()).ToArray();
        time.Advance(TimeSpan.FromSeconds(3));

        var fromRedis = await FederationQueries.ResolveAsync(client, second);
        Assert.True(fromRedis.Errors is null, fromRedis.ToString());
        Assert.Equal(second, fromRedis.Data["_entities"]!.AsArray().Select(node => node!["id"]!.GetValue<string>()));
        var gone = await FederationQueries.ResolveAsync(client, first);
        Assert.Equal("ENTITY_NOT_FOUND", FederationQueries.CodeAt(gone, 0));
        Assert.Equal("ENTITY_NOT_FOUND", FederationQueries.CodeAt(gone, 1));
    }
}
