using System.Collections.Concurrent;

namespace QualityApi.Emulator;

/// <summary>
/// Sliding-window log per token. Only admitted calls enter the window, so a client that backs
/// off after a 429 gets through again once its oldest admitted call ages out.
/// </summary>
internal sealed class TokenThrottle(EmulatorSettings settings, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Queue<long>> windows = new(StringComparer.Ordinal);

    public ApiError? TryAdmit(string token)
    {
        if (settings.Throttle is not { } throttle)
        {
            return null;
        }

        var now = time.GetTimestamp();
        var windowTicks = throttle.WindowSeconds * time.TimestampFrequency;
        var admitted = windows.GetOrAdd(token, static _ => new Queue<long>());
        lock (admitted)
        {
            while (admitted.TryPeek(out var oldest) && now - oldest >= windowTicks)
            {
                admitted.Dequeue();
            }

            if (admitted.Count >= throttle.Limit)
            {
                return ApiErrors.Throttled(throttle.Limit, throttle.WindowSeconds, throttle.RetryAfterSeconds, throttle.ErrorCode);
            }

            admitted.Enqueue(now);
            return null;
        }
    }
}
