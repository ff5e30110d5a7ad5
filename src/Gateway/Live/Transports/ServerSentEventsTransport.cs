using System.Text;
using System.Threading.Channels;
using Gateway.GraphQL;
using Gateway.Http;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using Microsoft.Extensions.Options;

namespace Gateway.Live.Transports;

/// <summary>
/// GraphQL over Server-Sent Events, graphql-sse's "distinct connections" mode: a GET or POST
/// with <c>Accept: text/event-stream</c> is one operation on its own connection. Every result is
/// a <c>next</c> event, the end a <c>complete</c> event (with an empty data line, for
/// EventSource); errors before execution are a <c>next</c> event too, as the protocol asks; the
/// client ends a subscription by closing the connection. Credentials come from the headers.
/// A comment line goes out every Live:KeepAliveInterval.
/// </summary>
public sealed class ServerSentEventsTransport(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    GraphQLRequestReader reader,
    IOptions<LiveOptions> options)
{
    /// <summary>The media type a client asks for in Accept.</summary>
    public const string MediaType = "text/event-stream";

    private static readonly byte[] KeepAlive = Encoding.UTF8.GetBytes(":\n\n");
    private static readonly byte[] Complete = Encoding.UTF8.GetBytes("event: complete\ndata: \n\n");

    /// <summary>True for a GET or POST whose Accept names text/event-stream.</summary>
    public static bool IsEventStreamRequest(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (HttpMethods.IsGet(request.Method) || HttpMethods.IsPost(request.Method))
            && request.GetTypedHeaders().Accept.Any(accept => accept.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Runs one operation and streams its results until it completes or the client leaves.</summary>
    public async Task HandleAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = MediaType + "; charset=utf-8";
        response.Headers.CacheControl = "private, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(http.RequestAborted);

        // A client that stops reading is ended once Live:MaxQueuedEvents events wait for it.
        var events = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.Value.MaxQueuedEvents) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        IDisposable? subscription = null;
        try
        {
            var result = await ExecuteAsync(http);
            if (result.Streams?.Values.FirstOrDefault() is { } stream)
            {
                subscription = stream.Subscribe(new EventObserver(this, events.Writer));
            }
            else
            {
                events.Writer.TryWrite(Next(result));
                events.Writer.TryComplete();
            }

            await WriteAsync(http, events.Reader);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException && http.RequestAborted.IsCancellationRequested)
        {
            // The client closed the connection: that is how it ends a subscription.
        }
        finally
        {
            subscription?.Dispose();
        }
    }

    private async Task<ExecutionResult> ExecuteAsync(HttpContext http)
    {
        using var body = await reader.ReadBodyAsync(http.Request, http.RequestAborted);
        if (body.Failure is { } refused)
        {
            return new ExecutionResult(refused);
        }

        var read = await reader.ParseAsync(http.Request, body, http.RequestAborted);
        if (read.Failure is { } malformed)
        {
            return new ExecutionResult(malformed);
        }

        if (read.IsBatch || read.Requests[0] is not { } request)
        {
            return new ExecutionResult(new GatewayError(ErrorCodes.BadRequest, "An event stream carries one operation: send a single request, not a batch."));
        }

        return await executer.ExecuteAsync(new ExecutionOptions
        {
            Query = request.Query,
            OperationName = request.OperationName,
            Variables = request.Variables,
            Extensions = request.Extensions,
            UserContext = CallerCredentialsReader.Read(http.Request),
            RequestServices = http.RequestServices,
            CancellationToken = http.RequestAborted,
        });
    }

    /// <summary>The one writer of the response: events as they come, a comment line when there are none for a while.</summary>
    private async Task WriteAsync(HttpContext http, ChannelReader<byte[]> events)
    {
        var body = http.Response.Body;
        var interval = options.Value.KeepAliveInterval;
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            quiet.CancelAfter(interval);
            bool more;
            try
            {
                more = await events.WaitToReadAsync(quiet.Token);
            }
            catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
            {
                await body.WriteAsync(KeepAlive, http.RequestAborted);
                await body.FlushAsync(http.RequestAborted);
                continue;
            }

            if (!more)
            {
                await body.WriteAsync(Complete, http.RequestAborted);
                await body.FlushAsync(http.RequestAborted);
                return;
            }

            while (events.TryRead(out var next))
            {
                await body.WriteAsync(next, http.RequestAborted);
            }

            await body.FlushAsync(http.RequestAborted);
        }
    }

    private byte[] Next(ExecutionResult result) => Encoding.UTF8.GetBytes($"event: next\ndata: {serializer.Serialize(result)}\n\n");

    private sealed class EventObserver(ServerSentEventsTransport transport, ChannelWriter<byte[]> events) : IObserver<ExecutionResult>
    {
        public void OnNext(ExecutionResult value)
        {
            if (!events.TryWrite(transport.Next(value)))
            {
                events.TryComplete();
            }
        }

        public void OnError(Exception error)
        {
            var failure = error as ExecutionError ?? new GatewayError(ErrorCodes.InternalServerError, "The subscription failed; it has been logged.");
            events.TryWrite(transport.Next(new ExecutionResult { Errors = [failure] }));
            events.TryComplete();
        }

        public void OnCompleted() => events.TryComplete();
    }
}
