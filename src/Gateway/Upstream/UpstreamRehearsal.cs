namespace Gateway.Upstream;

/// <summary>
/// In-process answers to the upstream calls of one made-up caller, for the start-up warm-up
/// pass only: its cold blocks take the real path (the single-flight, Redis, the budget, Refit,
/// the resilience pipeline, JSON) without a request leaving the process, so the first user's
/// cold block does not pay for that code's first use (docs/performance.md, "What the first
/// seconds compile"). Active between <see cref="Begin"/> and <see cref="End"/>, which the pass
/// calls before /health/ready turns ready; the caller's token is random per process and never
/// leaves it, so no other caller is ever answered here.
/// </summary>
public sealed class UpstreamRehearsal
{
    private volatile Rehearsal? _current;
    private int _answered;

    /// <summary>Calls answered in process since the last <see cref="Begin"/>.</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>From now on, calls carrying <paramref name="token"/> are answered by <paramref name="answer"/> instead of the upstream.</summary>
    public void Begin(string token, Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentNullException.ThrowIfNull(answer);
        Volatile.Write(ref _answered, 0);
        _current = new Rehearsal(token, answer);
    }

    /// <summary>Every call goes to the upstream again.</summary>
    public void End() => _current = null;

    /// <summary>The in-process answer to <paramref name="request"/>, or null when it goes to the upstream.</summary>
    public HttpResponseMessage? Answer(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_current is not { } rehearsal
            || !request.Headers.TryGetValues("X-Auth-Token", out var tokens)
            || !tokens.Contains(rehearsal.Token, StringComparer.Ordinal))
        {
            return null;
        }

        Interlocked.Increment(ref _answered);
        return rehearsal.Answer(request);
    }

    private sealed record Rehearsal(string Token, Func<HttpRequestMessage, HttpResponseMessage> Answer);
}

/// <summary>The innermost handler of the upstream client: the rehearsal's answer when there is one (inside the resilience pipeline, like a real answer), else the network.</summary>
public sealed class UpstreamRehearsalHandler(UpstreamRehearsal rehearsal) : DelegatingHandler
{
    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (rehearsal.Answer(request) is { } answer)
        {
            // Completes later, as a network answer does, so the awaits above it really suspend.
            await Task.Yield();
            answer.RequestMessage = request;
            return answer;
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
