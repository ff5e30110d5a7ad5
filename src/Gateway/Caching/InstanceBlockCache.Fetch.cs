using System.Diagnostics;
using Gateway.Telemetry;
using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>One block's upstream call and its publish, as the single-flight runs them.</summary>
public sealed partial class InstanceBlockCache
{
    /// <summary>
    /// The upstream call for one block, coordinated across replicas; remembers whether this
    /// request made it. Every item the upstream returns is also recorded by id for this caller:
    /// that is the only way the gateway can ever resolve an instance by id (federation's
    /// _entities).
    /// </summary>
    private sealed class Fetch(InstanceBlockCache owner, string key, UpstreamCredentials credentials, string callerScope, InstanceListScope scope, int blockIndex, ActivityContext cacheSpan, long lookupStarted)
    {
        public bool Ran { get; private set; }

        /// <summary>The caller wants the upstream's answer, not a cached copy.</summary>
        public bool Refreshing { get; set; }

        // When memory and Redis were found wanting; timed only if this replica goes on to fetch.
        private TimeSpan _lookup;

        public ValueTask<InstanceBlock> RunAsync(CancellationToken cancellationToken)
        {
            _lookup = Stopwatch.GetElapsedTime(lookupStarted);
            return owner._singleFlight.RunAsync(key, callerScope, FetchAsync, PublishAsync, Refreshing, cancellationToken);
        }

        private async ValueTask<InstanceBlock> FetchAsync(bool permitTaken, CancellationToken cancellationToken)
        {
            Ran = true;

            // A refresh looks nowhere before fetching; a read looked in memory (the claim's
            // round trip, which also looked in Redis, is timed by the single-flight).
            if (!Refreshing)
            {
                owner._metrics.ColdBlockStep(ColdBlockStep.Lookup, _lookup);
            }

            // HybridCache runs the factory without the caller's execution context (one fetch
            // may serve many callers), so the trace is re-attached here explicitly: the
            // upstream call, and the traceparent it sends, belong to the requesting trace.
            using var activity = GatewayActivities.Source.StartActivity("upstream fetch", ActivityKind.Internal, cacheSpan);
            var block = await owner._client.FetchBlockAsync(credentials, scope, blockIndex, cancellationToken, permitTaken);

            // In memory before the shared fetch completes: a request that arrives after it finds
            // the block there instead of starting a fetch of its own, and this replica resolves
            // its instances by id at once.
            owner.KeepLocally(key, block);
            owner._entities.Remember(callerScope, key);
            return block;
        }

        /// <summary>
        /// The block and its instances to Redis, after the page was answered (the single-flight
        /// keeps its claim until this is done, so replicas asked meanwhile wait for it rather than
        /// call the upstream). Written together: one round trip. This is the one Redis write of
        /// a block.
        /// </summary>
        private async Task PublishAsync(InstanceBlock block)
        {
            var publishStarted = Stopwatch.GetTimestamp();
            await Task.WhenAll(
                owner._entities.PublishAsync(callerScope, block.Items, CancellationToken.None),
                owner._shared.WriteAsync(key, block, CancellationToken.None));
            owner._metrics.ColdBlockStep(ColdBlockStep.Publish, Stopwatch.GetElapsedTime(publishStarted));
        }
    }
}
