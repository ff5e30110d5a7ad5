using Gateway.GraphQL;
using Gateway.Upstream;

namespace Gateway.Live;

/// <summary>What every feed shares: where it polls, what it may spend, how it coordinates, its clock.</summary>
internal sealed record LiveFeedServices(ILiveCoordinator Coordinator, ILiveBudgetShare Share, IHeadSource Head, LiveOptions Options, TimeProvider Time, LiveMetrics Metrics, ILogger Logger);

/// <summary>
/// A feed's polls: while this process holds the lease, one poll per Live:PollInterval. The
/// first poll sets the baseline and publishes nothing. A poll the caller's share cannot pay for
/// waits until it can (the feed slows down, said once per slow spell in the log and on every
/// deferral in a metric). Transient upstream failures are published once per failure spell and
/// retried with a doubling interval up to Live:MaxBackoff; a refusal of the caller (401, 403,
/// 400) is published as the end of the feed.
/// </summary>
internal sealed partial class LivePollLoop(LiveFeed feed, UpstreamCredentials credentials, LiveFeedServices services)
{
    private readonly LiveFeedKey key = feed.Key;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = services.Options;
        var wait = TimeSpan.Zero;
        var backoff = options.PollInterval;
        var (reported, slowed) = (false, false);
        while (!cancellationToken.IsCancellationRequested)
        {
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, services.Time, cancellationToken);
            }

            wait = options.PollInterval;
            if (!await services.Coordinator.HoldLeaseAsync(key, 3 * (backoff > options.PollInterval ? backoff : options.PollInterval), cancellationToken))
            {
                // Another replica polls; its batches keep this one's baseline current.
                continue;
            }

            var share = await services.Share.TryTakeAsync(key.CallerKey, cancellationToken);
            if (!share.Granted)
            {
                services.Metrics.PollDeferred();
                if (!slowed)
                {
                    LogSlowedDown(services.Logger, key.ForLog, options.MaxBudgetShare, (long)share.RetryAfter.TotalMilliseconds);
                }

                slowed = true;
                wait = share.RetryAfter > options.PollInterval ? share.RetryAfter : options.PollInterval;
                continue;
            }

            slowed = false;
            InstanceBlock head;
            try
            {
                head = await services.Head.FetchHeadAsync(credentials, key.Scope, cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var fault = ToFault(exception);
                services.Metrics.Poll(fault.Code);
                if (fault.Ends)
                {
                    LogEnded(services.Logger, key.ForLog, fault.Code);
                    await services.Coordinator.PublishAsync(key, new LiveBatch([], fault), cancellationToken);
                    return;
                }

                if (!reported)
                {
                    LogFailing(services.Logger, key.ForLog, fault.Code);
                    await services.Coordinator.PublishAsync(key, new LiveBatch([], fault), cancellationToken);
                }

                reported = true;
                backoff = backoff * 2 < options.MaxBackoff ? backoff * 2 : options.MaxBackoff;
                wait = backoff;
                continue;
            }

            services.Metrics.Poll("success");
            (reported, backoff) = (false, options.PollInterval);
            await PublishChangesAsync(head, cancellationToken);
        }
    }

    /// <summary>
    /// Compares the head with the latest one known (from this process's polls or another's) and
    /// publishes what changed, with the head; a head that did not change is not published at all.
    /// </summary>
    private async Task PublishChangesAsync(InstanceBlock block, CancellationToken cancellationToken)
    {
        var previous = feed.Head;
        var head = new LiveHead(block.Items, block.Count <= block.Items.Count, services.Time.GetUtcNow());
        if (!head.DiffersFrom(previous))
        {
            feed.Observe(head);
            return;
        }

        var changes = previous is null ? [] : ChangeDetector.Diff(previous.Items, previous.WholeList, head.Items, block.Count);
        feed.Observe(head);
        await services.Coordinator.PublishAsync(key, new LiveBatch(changes, null, head), cancellationToken);
    }

    private LiveFault ToFault(Exception exception)
    {
        if (ErrorMapping.ToGraphQLError(exception) is GatewayError error)
        {
            var ends = error.Code is ErrorCodes.UpstreamUnauthorized or ErrorCodes.UpstreamForbidden or ErrorCodes.UpstreamBadRequest;
            return new LiveFault(error.Code!, error.Message, error.ExtraExtensions, ends);
        }

        LogBug(services.Logger, exception, key.ForLog);
        return new LiveFault(ErrorCodes.InternalServerError, "An internal error occurred while polling; it has been logged. The feed keeps trying.", null, Ends: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Live: feed {Feed} slowed down to stay within Live:MaxBudgetShare ({Share}) of the caller's upstream budget; next poll in {RetryAfterMs} ms.")]
    private static partial void LogSlowedDown(ILogger logger, string feed, double share, long retryAfterMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live: polls of feed {Feed} fail ({Code}); retrying with backoff.")]
    private static partial void LogFailing(ILogger logger, string feed, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live: the upstream refused feed {Feed} ({Code}); its subscriptions end.")]
    private static partial void LogEnded(ILogger logger, string feed, string code);

    [LoggerMessage(Level = LogLevel.Error, Message = "Live: unexpected failure while polling feed {Feed}.")]
    private static partial void LogBug(ILogger logger, Exception exception, string feed);
}
