using System.Net.WebSockets;
using Gateway.Http;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Gateway.Live.Transports;

/// <summary>
/// GraphQL over WebSocket, subprotocol <c>graphql-transport-ws</c> (the graphql-ws library's
/// protocol, which Banana Cake Pop, Apollo Client's GraphQLWsLink and urql speak): checks the
/// upgrade's Origin against the CORS rules, accepts with the subprotocol and hands the socket to
/// a <see cref="GraphQLWsSession"/>.
/// </summary>
public sealed class GraphQLWsTransport(
    IDocumentExecuter<ISchema> executer,
    IGraphQLTextSerializer serializer,
    IOptions<LiveOptions> options,
    IOptions<GatewayCorsOptions> cors,
    IOptions<GraphQLHttpOptions> http,
    IHostApplicationLifetime lifetime,
    TimeProvider time)
{
    /// <summary>The WebSocket subprotocol spoken: graphql-ws's protocol.</summary>
    public const string SubProtocol = "graphql-transport-ws";

    /// <summary>Handles one WebSocket upgrade on the endpoint, for the life of the connection.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;

        // Browsers send no preflight for a WebSocket: the Origin is checked here, as the CORS
        // policy would check it (same origin, or one of Cors:AllowedOrigins).
        if (!OriginAllowed(request))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("This origin may not open a WebSocket to the gateway (Cors:AllowedOrigins).", context.RequestAborted);
            return;
        }

        var live = options.Value;
        var protocolOffered = context.WebSockets.WebSocketRequestedProtocols.Contains(SubProtocol, StringComparer.Ordinal);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            SubProtocol = protocolOffered ? SubProtocol : null,
            KeepAliveInterval = live.KeepAliveInterval,
            KeepAliveTimeout = live.KeepAliveInterval * 2,
        });
        if (!protocolOffered)
        {
            await socket.CloseAsync((WebSocketCloseStatus)4406, "Subprotocol not acceptable: use graphql-transport-ws", context.RequestAborted);
            return;
        }

        var session = new GraphQLWsSession(socket, context, executer, serializer, live, http.Value.MaxRequestBodyBytes, time);
        using var stopping = lifetime.ApplicationStopping.Register(session.BeginShutdown);
        await session.RunAsync();
    }

    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length == 0)
        {
            // Not a browser: CORS does not apply.
            return true;
        }

        if (cors.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Scheme, request.Scheme, StringComparison.OrdinalIgnoreCase);
    }
}
