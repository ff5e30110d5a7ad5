using System.Net.WebSockets;
using System.Threading.Channels;

namespace Gateway.Live.Transports;

/// <summary>
/// A WebSocket's one writer: messages and the closing frame go out in the order they were
/// queued, and nothing waits on the socket but this loop. A client that stops reading fills the
/// queue; past Live:MaxQueuedEvents messages the connection is closed (1008) rather than kept
/// growing.
/// </summary>
internal sealed class GraphQLWsOutbox(WebSocket socket, int capacity)
{
    private readonly Channel<(byte[]? Text, WebSocketCloseStatus Status, string? Reason)> _queue =
        Channel.CreateUnbounded<(byte[]?, WebSocketCloseStatus, string?)>(new UnboundedChannelOptions { SingleReader = true });

    private int _queued;
    private int _closing;

    /// <summary>True once a closing frame is queued: nothing after it is sent.</summary>
    public bool Closing => Volatile.Read(ref _closing) != 0;

    public void Send(byte[] text)
    {
        if (Closing)
        {
            return;
        }

        if (Interlocked.Increment(ref _queued) > capacity)
        {
            Close(WebSocketCloseStatus.PolicyViolation, "Too slow: the client does not read its messages");
            return;
        }

        _queue.Writer.TryWrite((text, default, null));
    }

    /// <summary>Queues the closing frame (the first one asked for wins) after what is already queued.</summary>
    public void Close(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 0)
        {
            _queue.Writer.TryWrite((null, status, reason));
            _queue.Writer.TryComplete();
        }
    }

    /// <summary>The session is over: nothing more will be queued.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (text, status, reason) in _queue.Reader.ReadAllAsync(cancellationToken))
            {
                Interlocked.Decrement(ref _queued);
                if (text is not null)
                {
                    await socket.SendAsync(text, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
                else if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(status, reason, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away, or the session ended: nothing left to say.
        }
    }
}
