using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Gateway.Tests.Live;

/// <summary>A bare graphql-transport-ws client on .NET's ClientWebSocket, for the protocol's edge cases.</summary>
internal sealed class WebSocketClient : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private WebSocketClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static async Task<WebSocketClient> ConnectAsync(Uri endpoint, string? subProtocol = "graphql-transport-ws", Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        if (subProtocol is not null)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        configure?.Invoke(socket.Options);
        var uri = new UriBuilder(endpoint) { Scheme = endpoint.Scheme == "https" ? "wss" : "ws" }.Uri;
        using var timeout = new CancellationTokenSource(Bound);
        await socket.ConnectAsync(uri, timeout.Token);
        return new WebSocketClient(socket);
    }

    public async Task SendAsync(string json)
    {
        using var timeout = new CancellationTokenSource(Bound);
        await Socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, timeout.Token);
    }

    /// <summary>connection_init (with the payload, if any), then the server's connection_ack.</summary>
    public async Task InitAsync(string? payload = null)
    {
        await SendAsync(payload is null ? """{"type":"connection_init"}""" : $$"""{"type":"connection_init","payload":{{payload}}}""");
        var ack = await ReceiveAsync();
        Assert.Equal("connection_ack", ack?["type"]?.GetValue<string>());
    }

    public Task SubscribeAsync(string id, string query) =>
        SendAsync(new JsonObject { ["id"] = id, ["type"] = "subscribe", ["payload"] = new JsonObject { ["query"] = query } }.ToJsonString());

    /// <summary>The next message, or null when the server closed the socket (see <see cref="CloseStatus"/>).</summary>
    public async Task<JsonNode?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var received = await Socket.ReceiveAsync(buffer, timeout.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, received.Count);
            if (received.EndOfMessage)
            {
                return JsonNode.Parse(message.ToArray());
            }
        }
    }

    /// <summary>Reads until the server closes; the close code it sent.</summary>
    public async Task<int?> ClosedWithAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return (int?)Socket.CloseStatus;
    }

    public int? CloseStatus => (int?)Socket.CloseStatus;

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(Bound);
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The server went first, or went away.
            }
        }

        Socket.Dispose();
    }
}
