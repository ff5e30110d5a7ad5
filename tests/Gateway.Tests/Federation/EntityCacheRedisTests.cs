using Gateway.Tests.Infrastructure;

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

        // A filter no other test uses: the block is cold, so this very request fetches it and
        // stores its instances, in Redis too, before answering. No waiting for Redis is needed.
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
}
