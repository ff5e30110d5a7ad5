using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Gateway.Upstream;

/// <summary>
/// deadline ( retry ( circuit breaker ( attempt timeout ( HTTP ) ) ) ). Retries only what may
/// succeed a moment later (5xx, timeouts, broken connections, and a 429 whose Retry-After fits),
/// never other 4xx; the breaker counts only the upstream's own failures, not a caller's 429.
/// </summary>
public static class UpstreamResilience
{
    /// <summary>Adds the pipeline above to the upstream client, sized by Upstream:Deadline, Upstream:Timeout, Upstream:Retry and Upstream:CircuitBreaker.</summary>
    /// <param name="builder">The Refit client's builder.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddUpstreamResilience(this IHttpClientBuilder builder)
    {
        builder.AddResilienceHandler("upstream", (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<UpstreamOptions>>().Value;
            pipeline
                .AddTimeout(options.Deadline)
                .AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(1, options.Retry.MaxRetries),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.Retry.BaseDelay,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ValueTask.FromResult(options.Retry.MaxRetries > 0 && IsRetryable(args.Outcome, args.Context, options.Retry)),
                    DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                })
                .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = options.CircuitBreaker.FailureRatio,
                    MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                    SamplingDuration = options.CircuitBreaker.SamplingDuration,
                    BreakDuration = options.CircuitBreaker.BreakDuration,
                    ShouldHandle = args => ValueTask.FromResult(IsUpstreamFailure(args.Outcome)),
                })
                .AddTimeout(options.Timeout);
        });
        return builder;
    }

    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome, ResilienceContext context, UpstreamRetryOptions retry)
    {
        // Only idempotent calls are repeated; the list call is a GET.
        if (context.GetRequestMessage()?.Method != HttpMethod.Get)
        {
            return false;
        }

        if (outcome.Result is { StatusCode: HttpStatusCode.TooManyRequests } throttled)
        {
            return RetryAfter(throttled) is { } wait && wait <= retry.MaxRetryAfter;
        }

        return IsUpstreamFailure(outcome);
    }

    private static bool IsUpstreamFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout,
        _ => false,
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response is not { StatusCode: HttpStatusCode.TooManyRequests })
        {
            return null;
        }

        var header = response.Headers.RetryAfter;
        return header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
    }
}
