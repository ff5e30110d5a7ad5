using System.Net.WebSockets;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Live;

/// <summary>graphql-transport-ws's edge cases, with a bare ClientWebSocket: the close codes of the graphql-ws protocol.</summary>
[Collection(LiveCollection.Name)]
public sealed class WebSocketProtocolTests(LiveFixture fixture)
{
    private const string Credentials = $$"""{"X-Auth-Token":"{{GraphQLClient.DefaultToken}}","workspace":"{{GraphQLClient.DefaultWorkspace}}"}""";

    private Uri Endpoint => fixture.Gateway.GraphQLEndpoint;

    [Fact]
    public async Task A_connection_without_connection_init_is_closed_4408_after_the_timeout()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint);

        Assert.Equal(4408, await client.ClosedWithAsync());
        Assert.Equal(GraphQLWsSubProtocol, client.Socket.SubProtocol);
    }

    [Fact]
    public async Task A_subscribe_before_the_ack_is_closed_4401()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint);

        await client.SubscribeAsync("1", LiveFixture.Subscription("live-ws-early"));

        Assert.Equal(4401, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task A_second_connection_init_is_closed_4429_and_an_unreadable_message_4400()
    {
        await using var twice = await WebSocketClient.ConnectAsync(Endpoint);
        await twice.InitAsync();
        await twice.SendAsync("""{"type":"connection_init"}""");
        await using var garbled = await WebSocketClient.ConnectAsync(Endpoint);
        await garbled.InitAsync();
        await garbled.SendAsync("{ not json");

        Assert.Equal(4429, await twice.ClosedWithAsync());
        Assert.Equal(4400, await garbled.ClosedWithAsync());
    }

    [Fact]
    public async Task A_subscribe_with_an_id_in_use_is_closed_4409()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint);
        await client.InitAsync(Credentials);

        await client.SubscribeAsync("same", LiveFixture.Subscription("live-ws-duplicate"));
        await client.SubscribeAsync("same", LiveFixture.Subscription("live-ws-duplicate"));

        Assert.Equal(4409, await client.ClosedWithAsync());
    }

    [Fact]
    public async Task Without_credentials_a_subscribe_gets_an_error_message_with_UNAUTHENTICATED_and_the_connection_stays()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint);
        await client.InitAsync();

        await client.SubscribeAsync("1", LiveFixture.Subscription("live-ws-anonymous"));
        var error = await client.ReceiveAsync();
        await client.SendAsync("""{"type":"ping"}""");

        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Equal("1", error["id"]!.GetValue<string>());
        Assert.Equal("UNAUTHENTICATED", error["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        Assert.Equal("pong", (await client.ReceiveAsync())!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Credentials_may_come_from_the_upgrade_request_and_a_query_is_answered_with_next_and_complete()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint, configure: options =>
        {
            options.SetRequestHeader("X-Auth-Token", GraphQLClient.DefaultToken);
            options.SetRequestHeader("workspace", GraphQLClient.DefaultWorkspace);
        });
        await client.InitAsync();

        await client.SubscribeAsync("q", """{ qualityTaskInstances(projectId: "live-ws-query", first: 1) { totalCount } }""");
        var next = await client.ReceiveAsync();
        var complete = await client.ReceiveAsync();

        Assert.Equal(1200, next!["payload"]!["data"]!["qualityTaskInstances"]!["totalCount"]!.GetValue<int>());
        Assert.Equal(["next", "complete"], new[] { next["type"]!.GetValue<string>(), complete!["type"]!.GetValue<string>() });
    }

    [Fact]
    public async Task A_connection_holds_at_most_MaxSubscriptionsPerConnection_and_complete_ends_one()
    {
        await using var client = await WebSocketClient.ConnectAsync(Endpoint);
        await client.InitAsync(Credentials);

        for (var i = 1; i <= 4; i++)
        {
            await client.SubscribeAsync($"{i}", LiveFixture.Subscription($"live-ws-limit-{i}"));
        }

        var refused = await client.ReceiveAsync();
        Assert.Equal("4", refused!["id"]!.GetValue<string>());
        Assert.Equal("SUBSCRIPTION_LIMIT_EXCEEDED", refused["payload"]![0]!["extensions"]!["code"]!.GetValue<string>());
        await Eventually.UntilAsync(() => Task.FromResult(fixture.Hub.FeedCount >= 3), TimeSpan.FromSeconds(10), "three feeds");
        await client.SendAsync("""{"id":"1","type":"complete"}""");
        await Eventually.UntilAsync(() => Task.FromResult(fixture.Hub.FeedCount == 2), TimeSpan.FromSeconds(10), "the completed operation's feed stopped");
    }

    [Fact]
    public async Task Another_subprotocol_is_closed_4406_and_a_foreign_origin_is_refused()
    {
        await using var legacy = await WebSocketClient.ConnectAsync(Endpoint, subProtocol: "graphql-ws");
        var foreign = await Assert.ThrowsAsync<WebSocketException>(() => WebSocketClient.ConnectAsync(Endpoint, configure: options => options.SetRequestHeader("Origin", "https://evil.example.test")));
        await using var allowed = await WebSocketClient.ConnectAsync(Endpoint, configure: options => options.SetRequestHeader("Origin", LiveFixture.AllowedOrigin));

        Assert.Equal(4406, await legacy.ClosedWithAsync());
        Assert.Contains("403", foreign.Message, StringComparison.Ordinal);
        await allowed.InitAsync();
    }

    [Fact]
    public async Task A_plain_post_of_a_subscription_is_STREAMING_TRANSPORT_REQUIRED_and_a_get_is_405()
    {
        using var client = new GraphQLClient(Endpoint);

        var posted = await client.PostAsync(LiveFixture.Subscription("live-plain"));
        using var get = new HttpRequestMessage(HttpMethod.Get, $"{Endpoint}?query={Uri.EscapeDataString(LiveFixture.Subscription("live-plain"))}");
        var got = await client.SendAsync(get);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, posted.Status);
        Assert.Equal(["STREAMING_TRANSPORT_REQUIRED"], posted.ErrorCodes);
        Assert.Equal(System.Net.HttpStatusCode.MethodNotAllowed, got.Status);
        Assert.Equal(0, fixture.Control.CallsFor("live-plain"));
    }

    [Fact]
    public async Task A_connection_without_subscriptions_for_the_idle_timeout_is_closed_1000()
    {
        var settings = LiveFixture.Settings();
        settings["Live:IdleTimeout"] = "00:00:01";
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, settings);
        await using var client = await WebSocketClient.ConnectAsync(gateway.GraphQLEndpoint);
        await client.InitAsync(Credentials);

        Assert.Equal(1000, await client.ClosedWithAsync());
        Assert.Equal("Idle timeout", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task At_shutdown_every_subscription_gets_complete_and_the_socket_closes_1001()
    {
        await using var gateway = new GatewayServer(fixture.Emulator.BaseAddress, LiveFixture.Settings());
        await using var client = await WebSocketClient.ConnectAsync(gateway.GraphQLEndpoint);
        await client.InitAsync(Credentials);
        await client.SubscribeAsync("a", LiveFixture.Subscription("live-shutdown"));
        await client.SubscribeAsync("b", LiveFixture.Subscription("live-shutdown", "{ runStatus: { eq: FAILED } }"));
        var hub = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Gateway.Live.LiveFeedHub>(gateway.Services);
        await Eventually.UntilAsync(() => Task.FromResult(hub.FeedCount == 2), TimeSpan.FromSeconds(10), "both subscriptions joined their feeds");

        var stopping = gateway.DisposeAsync();
        var completed = new[] { await client.ReceiveAsync(), await client.ReceiveAsync() };
        var closed = await client.ClosedWithAsync();
        await stopping;

        Assert.All(completed, message => Assert.True(message?["type"]?.GetValue<string>() == "complete", message?.ToJsonString()));
        Assert.Equal(["a", "b"], completed.Select(message => message!["id"]!.GetValue<string>()).Order());
        Assert.Equal(1001, closed);
    }

    private const string GraphQLWsSubProtocol = "graphql-transport-ws";
}
