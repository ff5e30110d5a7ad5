using System.Net.WebSockets;
using Gateway.GraphQL;
using GraphQL;
using GraphQL.Transport;
using GraphQLParser.AST;

namespace Gateway.Live.Transports;

/// <summary>The operations of a graphql-transport-ws connection: subscribe, next, error, complete.</summary>
internal sealed partial class GraphQLWsSession
{
    // Held while an operation is forgotten and its last messages are queued, and by shutdown
    // while it looks for operations left: so the socket never closes between the two, with an
    // operation gone but its complete not yet in the outbox.
    private readonly Lock _endings = new();

    private bool NoOperationsLeft()
    {
        lock (_endings)
        {
            return _operations.IsEmpty;
        }
    }

    private void Subscribe(string id, object? payload)
    {
        if (!_operations.TryAdd(id, null))
        {
            Close((WebSocketCloseStatus)4409, $"Subscriber for {id} already exists");
            return;
        }

        if (_operations.Count > _options.MaxSubscriptionsPerConnection)
        {
            _operations.TryRemove(id, out _);
            SendErrors(id, [new GatewayError(ErrorCodes.SubscriptionLimitExceeded, $"This connection already holds {_options.MaxSubscriptionsPerConnection} operations (Live:MaxSubscriptionsPerConnection); complete one first.")]);
            return;
        }

        GraphQLRequest? request;
        try
        {
            request = payload is null ? null : _serializer.ReadNode<GraphQLRequest>(payload);
        }
        catch (System.Text.Json.JsonException)
        {
            request = null;
        }

        if (request is null || (request.Query is null && request.Extensions is null))
        {
            _operations.TryRemove(id, out _);
            Close((WebSocketCloseStatus)4400, "Invalid message received: subscribe needs a payload with a query");
            return;
        }

        _ = ExecuteAsync(id, request);
    }

    private async Task ExecuteAsync(string id, GraphQLRequest request)
    {
        ExecutionResult result;
        try
        {
            result = await _executer.ExecuteAsync(new ExecutionOptions
            {
                Query = request.Query,
                OperationName = request.OperationName,
                Variables = request.Variables,
                Extensions = request.Extensions,
                UserContext = _user!,
                RequestServices = _http.RequestServices,
                CancellationToken = _ending.Token,
            });
        }
        catch (OperationCanceledException)
        {
            EndOperation(id);
            return;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Execution maps every known failure to a result; anything else is a bug, which
            // must not go unobserved on a connection others may share: the socket is closed.
            EndOperation(id);
            Close((WebSocketCloseStatus)4500, "Internal server error");
            return;
        }

        if (result.Streams?.Values.FirstOrDefault() is { } stream)
        {
            var subscription = stream.Subscribe(new OperationObserver(this, id));
            if (!_operations.TryUpdate(id, subscription, null))
            {
                // Completed by the client (or the connection) while it was being resolved.
                subscription.Dispose();
            }

            return;
        }

        lock (_endings)
        {
            if (!TryEndOperation(id, out _))
            {
                return;
            }

            // A query or mutation over the socket: one result, then complete. A subscription
            // that could not start (invalid, no credentials, a limit): its errors.
            if (result.Operation?.Operation != OperationType.Subscription && result.Executed)
            {
                Send(new OperationMessage { Type = "next", Id = id, Payload = result });
                Send(new OperationMessage { Type = "complete", Id = id });
            }
            else
            {
                SendErrors(id, [.. result.Errors ?? []]);
            }
        }
    }

    /// <summary>Forgets the operation; what it was subscribed to (null while it was being resolved, or if it was not known).</summary>
    private IDisposable? EndOperation(string id) => TryEndOperation(id, out var subscription) ? subscription : null;

    private bool TryEndOperation(string id, out IDisposable? subscription)
    {
        if (!_operations.TryRemove(id, out subscription))
        {
            return false;
        }

        if (_operations.IsEmpty)
        {
            Interlocked.Exchange(ref _idleSince, _time.GetTimestamp());
        }

        return true;
    }

    private void SendErrors(string id, ExecutionError[] errors) =>
        Send(new OperationMessage { Type = "error", Id = id, Payload = new ExecutionResult { Errors = [.. errors] } });

    private void Send(OperationMessage message)
    {
        // An "error" carries the errors alone (GraphQLError[]), not a whole result.
        var text = message is { Type: "error", Payload: ExecutionResult errors }
            ? ErrorMessage(message.Id!, errors)
            : _serializer.Serialize(message);
        _outbox.Send(System.Text.Encoding.UTF8.GetBytes(text));
    }

    private string ErrorMessage(string id, ExecutionResult errors)
    {
        using var document = System.Text.Json.JsonDocument.Parse(_serializer.Serialize(errors));
        var list = document.RootElement.TryGetProperty("errors", out var array) ? array.GetRawText() : "[]";
        return $"{{\"id\":{System.Text.Json.JsonSerializer.Serialize(id, LiveJsonContext.Default.String)},\"type\":\"error\",\"payload\":{list}}}";
    }

    /// <summary>Turns one operation's results into next / complete messages.</summary>
    private sealed class OperationObserver(GraphQLWsSession session, string id) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value) => session.Send(new OperationMessage { Type = "next", Id = id, Payload = value });

        public void OnError(Exception error)
        {
            var failure = error as ExecutionError ?? new GatewayError(ErrorCodes.InternalServerError, "The subscription failed; it has been logged.");
            session.Send(new OperationMessage { Type = "next", Id = id, Payload = new ExecutionResult { Errors = [failure] } });
            OnCompleted();
        }

        public void OnCompleted()
        {
            lock (session._endings)
            {
                if (session.TryEndOperation(id, out _))
                {
                    session.Send(new OperationMessage { Type = "complete", Id = id });
                }
            }
        }
    }
}
