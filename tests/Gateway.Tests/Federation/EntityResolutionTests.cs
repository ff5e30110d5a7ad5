using System.Text.RegularExpressions;
using Gateway.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Tests.Federation;

/// <summary>
/// _entities over real HTTP, as a router calls it. The upstream has no get-by-id call, so an
/// instance resolves only if the same caller has listed it and it is still cached.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed partial class EntityResolutionTests(GatewayFixture fixture)
{
    [Fact]
    public async Task An_instance_the_caller_has_paged_through_resolves_with_the_same_fields_and_exact_ids()
    {
        using var client = fixture.Client();
        var page = await FederationQueries.ListAsync(client, "fed-resolve", 5);
        var ids = page.Select(node => node["id"]!.GetValue<string>()).ToArray();
        var calls = fixture.Emulator.Control.ListCalls;

        var response = await FederationQueries.ResolveAsync(client, ids);

        Assert.True(response.Errors is null, response.ToString());
        var entities = response.Data["_entities"]!.AsArray();
        Assert.Equal(ids.Length, entities.Count);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Matches(NineteenDigits(), entities[i]!["id"]!.GetValue<string>());
            Assert.Equal("QualityTaskInstance", entities[i]!["__typename"]!.GetValue<string>());
            Assert.Equal(Instance.FromGateway(page[i]), Instance.FromGateway(entities[i]!));
        }

        // Resolution reads the cache only: the upstream has nothing to ask.
        Assert.Equal(calls, fixture.Emulator.Control.ListCalls);
    }

    [Fact]
    public async Task An_integer_id_resolves_like_its_decimal_string()
    {
        using var client = fixture.Client();
        var instance = (await FederationQueries.ListAsync(client, "fed-integer-id", 1))[0];
        var id = instance["id"]!.GetValue<string>();

        var response = await FederationQueries.ResolveAsync(client, long.Parse(id, System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(response.Errors is null, response.ToString());
        Assert.Equal(id, response.Data["_entities"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_id_is_null_with_ENTITY_NOT_FOUND_explaining_the_limit()
    {
        using var client = fixture.Client();

        var response = await FederationQueries.ResolveAsync(client, "1000000000000000001");

        Assert.Null(response.Data["_entities"]![0]);
        Assert.Equal("ENTITY_NOT_FOUND", FederationQueries.CodeAt(response, 0));
        var message = FederationQueries.ErrorAt(response, 0)!["message"]!.GetValue<string>();
        Assert.Contains("qualityTaskInstances", message, StringComparison.Ordinal);
        Assert.Contains("cached", message, StringComparison.Ordinal);
        Assert.DoesNotContain(GraphQLClient.DefaultToken, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_seen_only_by_another_caller_is_null_with_ENTITY_NOT_FOUND()
    {
        using var owner = fixture.Client(GatewayFixture.SecondToken, "ws-second");
        using var otherToken = fixture.Client();
        using var sameTokenOtherWorkspace = fixture.Client(GatewayFixture.SecondToken, "ws-elsewhere");
        var id = (await FederationQueries.ListAsync(owner, "fed-seen-by-second-token-only", 1))[0]["id"]!.GetValue<string>();

        var byOwner = await FederationQueries.ResolveAsync(owner, id);
        var byOtherToken = await FederationQueries.ResolveAsync(otherToken, id);
        var byOtherWorkspace = await FederationQueries.ResolveAsync(sameTokenOtherWorkspace, id);

        Assert.True(byOwner.Errors is null, byOwner.ToString());
        Assert.Equal(id, byOwner.Data["_entities"]![0]!["id"]!.GetValue<string>());
        foreach (var response in new[] { byOtherToken, byOtherWorkspace })
        {
            Assert.Null(response.Data["_entities"]![0]);
            Assert.Equal(["ENTITY_NOT_FOUND"], response.ErrorCodes);
            Assert.DoesNotContain(GatewayFixture.SecondToken, response.Body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("")]
    [InlineData("12.5")]
    [InlineData(" 1010084493885470491")]
    [InlineData("99999999999999999999")]
    [InlineData("0x1F")]
    public async Task A_malformed_id_is_null_with_BAD_USER_INPUT(string id)
    {
        using var client = fixture.Client();

        var response = await FederationQueries.ResolveAsync(client, id);

        Assert.Null(response.Data["_entities"]![0]);
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes);
        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 0));
    }

    [Fact]
    public async Task A_representation_without_an_id_is_null_with_BAD_USER_INPUT()
    {
        using var client = fixture.Client();

        var response = await client.PostAsync(FederationQueries.Entities, new { representations = new[] { new { __typename = "QualityTaskInstance" } } });

        Assert.Null(response.Data["_entities"]![0]);
        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 0));
    }

    [Fact]
    public async Task A_batch_resolves_in_order_with_found_and_missing_mixed()
    {
        using var client = fixture.Client();
        var page = await FederationQueries.ListAsync(client, "fed-batch", 3);
        var first = page[0]["id"]!.GetValue<string>();
        var third = page[2]["id"]!.GetValue<string>();

        var response = await FederationQueries.ResolveAsync(client, first, "1000000000000000002", third, "bad id", first);

        var entities = response.Data["_entities"]!.AsArray();
        Assert.Equal(5, entities.Count);
        Assert.Equal(Instance.FromGateway(page[0]), Instance.FromGateway(entities[0]!));
        Assert.Null(entities[1]);
        Assert.Equal(Instance.FromGateway(page[2]), Instance.FromGateway(entities[2]!));
        Assert.Null(entities[3]);
        Assert.Equal(Instance.FromGateway(page[0]), Instance.FromGateway(entities[4]!));
        Assert.Equal(2, response.Errors!.Count);
        Assert.Equal("ENTITY_NOT_FOUND", FederationQueries.CodeAt(response, 1));
        Assert.Equal("BAD_USER_INPUT", FederationQueries.CodeAt(response, 3));
    }

    [Fact]
    public async Task Without_a_token_each_entity_is_UNAUTHENTICATED_as_for_qualityTaskInstances()
    {
        using var client = fixture.Client(token: null);

        var response = await FederationQueries.ResolveAsync(client, "1000000000000000003", "1000000000000000004");

        var entities = response.Data["_entities"]!.AsArray();
        Assert.Equal(2, entities.Count);
        Assert.All(entities, Assert.Null);
        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED"], response.ErrorCodes);
    }

    [Fact]
    public async Task Without_a_workspace_the_entity_is_BAD_USER_INPUT_as_for_qualityTaskInstances()
    {
        using var client = fixture.Client(workspace: null);

        var response = await FederationQueries.ResolveAsync(client, "1000000000000000005");

        Assert.Null(response.Data["_entities"]![0]);
        Assert.Equal(["BAD_USER_INPUT"], response.ErrorCodes);
        Assert.DoesNotContain(GraphQLClient.DefaultToken, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_stops_resolving_when_its_cache_entry_expires()
    {
        // The entity cache judges an instance's age on the gateway's TimeProvider: steered here.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, new Dictionary<string, string?> { ["Cache:Ttl"] = "00:01:00", ["Cache:VolatileTtl"] = "00:01:00", ["Cache:StaleTtl"] = "00:00:00" }, GatewayServer.OnClock(time));
        using var client = new GraphQLClient(gateway.GraphQLEndpoint);
        var id = (await FederationQueries.ListAsync(client, "fed-expiry", 1))[0]["id"]!.GetValue<string>();

        time.Advance(TimeSpan.FromSeconds(59));
        var fresh = await FederationQueries.ResolveAsync(client, id);
        time.Advance(TimeSpan.FromSeconds(1));
        var expired = await FederationQueries.ResolveAsync(client, id);

        Assert.True(fresh.Errors is null, fresh.ToString());
        Assert.Null(expired.Data["_entities"]![0]);
        Assert.Equal(["ENTITY_NOT_FOUND"], expired.ErrorCodes);
    }

    [GeneratedRegex("^[0-9]{19}$")]
    private static partial Regex NineteenDigits();
}
