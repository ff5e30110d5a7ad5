using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;

namespace Gateway.Live.Transports;

/// <summary>
/// One graphql-transport-ws connection: connection_init within Live:ConnectionInitTimeout
/// (else 4408), once (else 4429), answered by connection_ack; ping answered by pong; subscribe
/// only after the ack (else 4401) and with an id not in use (else 4409); complete from the
/// client ends that operation; anything unreadable is 4400. Credentials: the init payload's
/// X-Auth-Token / workspace / Authorization (flat or under "headers"), over the upgrade
/// request's headers. A connection without subscriptions for Live:IdleTimeout is closed (1000);
/// at shutdown every operation gets its complete, then the socket 1001.
/// </summary>
internal sealed partial class GraphQLWsSession
{
    private static readonly string[] CredentialHeaders = [CallerCredentialsReader.TokenHeader, CallerCredentialsReader.WorkspaceHeader, "Authorization"];

    private readonly WebSocket _socket;
    private readonly HttpContext _http;
    private readonly IDocumentExecuter<ISchema> _executer;
    private readonly IGraphQLTextSerializer _serializer;
    private readonly LiveOptions _options;
    private readonly TimeProvider _time;
    private readonly GraphQLWsOutbox _outbox;
    private readonly ConcurrentDictionary<string, IDisposable?> _operations = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _ending = new();
    private readonly int _maxMessageBytes;
    private GatewayUserContext? _user;
    private int _initialised;
    private long _idleSince;

    public GraphQLWsSession(WebSocket socket, HttpContext http, IDocumentExecuter<ISchema> executer, IGraphQLTextSerializer serializer, LiveOptions options, int maxMessageBytes, TimeProvider time)
    {
        (_socket, _http, _executer, _serializer, _options, _time) = (socket, http, executer, serializer, options, time);
        _maxMessageBytes = maxMessageBytes;
        _outbox = new GraphQLWsOutbox(socket, options.MaxQueuedEvents * 2);
        _idleSince = time.GetTimestamp();
    }

    public async Task RunAsync()
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, _ending.Token);
        var writing = _outbox.RunAsync(_http.RequestAborted);
        var watching = WatchAsync(abort.Token);
        try
        {
            await ReadAsync(abort.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The peer went away or the closing handshake timed out.
        }
        finally
        {
            foreach (var id in _operations.Keys)
            {
                EndOperation(id)?.Dispose();
            }

            _outbox.Complete();
            await _ending.CancelAsync();
            await writing;
            await watching;
            _ending.Dispose();
        }
    }

    /// <summary>Shutdown: the hub completes every subscription; once they are out (or after 2 s), the socket closes.</summary>
    public void BeginShutdown() => _ = ShutdownAsync();

    private async Task ShutdownAsync()
    {
        var deadline = _time.GetTimestamp();
        while (!NoOperationsLeft() && _time.GetElapsedTime(deadline) < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time);
        }

        Close((WebSocketCloseStatus)1001, "Server shutting down");
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
        {
            var received = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                Close(WebSocketCloseStatus.NormalClosure, "");
                return;
            }

            message.Write(buffer, 0, received.Count);
            if (message.Length > _maxMessageBytes)
            {
                Close(WebSocketCloseStatus.MessageTooBig, "Message too big");
                continue;
            }

            if (received.EndOfMessage)
            {
                if (!_outbox.Closing)
                {
                    Dispatch(message.GetBuffer().AsSpan(0, (int)message.Length));
                }

                message.SetLength(0);
            }
        }
    }

    private void Dispatch(ReadOnlySpan<byte> text)
    {
        OperationMessage? message;
        try
        {
            message = _serializer.Deserialize<OperationMessage>(System.Text.Encoding.UTF8.GetString(text));
        }
        catch (JsonException)
        {
            message = null;
        }

        switch (message?.Type)
        {
            case "connection_init":
                Initialise(message.Payload);
                break;
            case "ping":
                Send(new OperationMessage { Type = "pong" });
                break;
            case "pong":
                break;
            case "subscribe" when Volatile.Read(ref _initialised) != 2:
                Close((WebSocketCloseStatus)4401, "Unauthorized");
                break;
            case "subscribe" when !string.IsNullOrEmpty(message.Id):
                Subscribe(message.Id, message.Payload);
                break;
            case "complete" when !string.IsNullOrEmpty(message.Id):
                EndOperation(message.Id)?.Dispose();
                break;
            default:
                Close((WebSocketCloseStatus)4400, "Invalid message received");
                break;
        }
    }

    private void Initialise(object? payload)
    {
        if (Interlocked.CompareExchange(ref _initialised, 1, 0) != 0)
        {
            Close((WebSocketCloseStatus)4429, "Too many initialisation requests");
            return;
        }

        var headers = new HeaderDictionary();
        foreach (var name in CredentialHeaders)
        {
            if (_http.Request.Headers.TryGetValue(name, out var value))
            {
                headers[name] = value;
            }
        }

        var fields = payload is null ? null : _serializer.ReadNode<Inputs>(payload);
        Overlay(headers, fields);
        if (fields?.FirstOrDefault(pair => pair.Key.Equals("headers", StringComparison.OrdinalIgnoreCase)).Value is IReadOnlyDictionary<string, object?> nested)
        {
            Overlay(headers, nested);
        }

        _user = CallerCredentialsReader.Read(headers);
        Volatile.Write(ref _initialised, 2);
        Send(new OperationMessage { Type = "connection_ack" });
    }

    private static void Overlay(HeaderDictionary headers, IReadOnlyDictionary<string, object?>? fields)
    {
        foreach (var (key, value) in fields ?? new Dictionary<string, object?>())
        {
            var name = CredentialHeaders.FirstOrDefault(header => header.Equals(key, StringComparison.OrdinalIgnoreCase));
            if (name is not null && value is string text)
            {
                headers[name] = text;
            }
        }
    }

    /// <summary>Connection init timeout and idle timeout, on the session's clock.</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(_options.ConnectionInitTimeout, _time, cancellationToken);
            if (Volatile.Read(ref _initialised) == 0)
            {
                Close((WebSocketCloseStatus)4408, "Connection initialisation timeout");
                return;
            }

            var check = _options.IdleTimeout / 4;
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(check, _time, cancellationToken);
                if (_operations.IsEmpty && _time.GetElapsedTime(Interlocked.Read(ref _idleSince)) >= _options.IdleTimeout)
                {
                    Close(WebSocketCloseStatus.NormalClosure, "Idle timeout");
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended first.
        }
    }

    private void Close(WebSocketCloseStatus status, string reason)
    {
        _outbox.Close(status, reason);

        // The peer has a second to answer with its own closing frame.
        try
        {
            _ending.CancelAfter(TimeSpan.FromSeconds(1));
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }
}
