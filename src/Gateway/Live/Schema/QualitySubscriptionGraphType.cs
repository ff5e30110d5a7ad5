using Gateway.GraphQL;
using Gateway.GraphQL.Types;
using GraphQL;
using GraphQL.Types;

namespace Gateway.Live.Schema;

/// <summary>The Subscription root type: qualityTaskInstanceChanges.</summary>
public sealed class QualitySubscriptionGraphType : ObjectGraphType
{
    /// <summary>The field, its arguments (validated as qualityTaskInstances validates them) and its stream from the hub.</summary>
    public QualitySubscriptionGraphType(QualityTaskInstancesResolver lists, LiveFeedHub hub)
    {
        Name = "Subscription";
        Description = "Live changes of DataArts Quality task execution results, over GraphQL over WebSocket (graphql-transport-ws) or Server-Sent Events (graphql-sse), with the caller's own credentials.";
        Field<NonNullGraphType<QualityTaskInstanceChangeGraphType>>("qualityTaskInstanceChanges")
            .Description("Changes at the head of the filtered list (newest first), polled every Live:PollInterval by one poller shared by every subscriber of the same caller, project and filter. The first poll sets the baseline and sends nothing; after it, each poll's changes arrive oldest first.")
            .Argument<StringGraphType>("projectId", "Huawei Cloud project id; defaults to Upstream:DefaultProjectId.")
            .Argument<QualityTaskInstanceFilterInputGraphType>("where", "Which runs to watch, as in qualityTaskInstances; an instance that starts to match is ADDED.")
            .ResolveStream(context =>
            {
                var credentials = ((GatewayUserContext)context.UserContext).RequireCredentials();
                var scope = lists.ScopeOf(context);
                return new LiveChangeStream(hub, hub.Reserve(credentials), scope);
            });
    }
}

/// <summary>A subscription's source stream: subscribing joins the feed, disposing leaves it and frees the caller's slot.</summary>
internal sealed class LiveChangeStream(LiveFeedHub hub, LiveReservation reservation, global::Gateway.Upstream.InstanceListScope scope) : IObservable<object?>
{
    private int _subscribed;

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        if (Interlocked.Exchange(ref _subscribed, 1) != 0)
        {
            throw new InvalidOperationException("A subscription's stream is subscribed to once.");
        }

        return hub.Attach(reservation, scope, observer);
    }
}
