using Microsoft.Extensions.Logging;

namespace QualityApi.Emulator;

/// <summary>
/// The test-facing side of a running emulator: latency, fault injection, call counts, recorded
/// requests and the data sets. Thread-safe; the HTTP handlers and tests share one instance.
/// </summary>
public sealed partial class EmulatorControl
{
    private const int RequestLogCapacity = 10_000;

    private readonly DatasetStore datasets;
    private readonly FaultQueue faults = new();
    private readonly RequestLog requests = new(RequestLogCapacity);
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private long listCalls;
    private int latencyMilliseconds;

    internal EmulatorControl(EmulatorSettings settings, DatasetStore datasets, ILogger<EmulatorControl> logger, TimeProvider time)
    {
        this.datasets = datasets;
        this.logger = logger;
        this.time = time;
        latencyMilliseconds = settings.LatencyMilliseconds;
    }

    /// <summary>Delay added to every list call; starts at the configured value.</summary>
    public int LatencyMilliseconds
    {
        get => Volatile.Read(ref latencyMilliseconds);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref latencyMilliseconds, value);
        }
    }

    /// <summary>Every call of the list endpoint, whatever its outcome (401s and faults included).</summary>
    public long ListCalls => Interlocked.Read(ref listCalls);

    /// <summary>A snapshot of the last 10,000 list calls, most recent last (in completion order).</summary>
    public IReadOnlyList<RecordedRequest> Requests => requests.Snapshot();

    /// <summary>How many recorded list calls asked for <paramref name="projectId"/>.</summary>
    public int CallsFor(string projectId) => requests.Snapshot().Count(request => request.ProjectId == projectId);

    /// <summary>Queues a fault; list calls consume the queue head one use at a time.</summary>
    public void InjectFault(Fault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (!Enum.IsDefined(fault.Kind))
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault.Kind, "Unknown fault kind.");
        }

        if (fault.DelayMilliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault.DelayMilliseconds, "DelayMilliseconds must not be negative.");
        }

        if (fault.RetryAfterSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(fault), fault.RetryAfterSeconds, "RetryAfterSeconds must not be negative.");
        }

        faults.Enqueue(fault);
        LogFaultInjected(fault.Kind, fault.Times);
    }

    /// <summary>Drops every queued fault, including one that repeats until cleared.</summary>
    public void ClearFaults() => faults.Clear();

    /// <summary>Zeroes <see cref="ListCalls"/> and clears <see cref="Requests"/>; faults and latency stay.</summary>
    public void ResetCounters()
    {
        Interlocked.Exchange(ref listCalls, 0);
        requests.Clear();
    }

    /// <summary>
    /// Adds <paramref name="count"/> new instances, newer than all existing ones, to the project's
    /// data set, shifting every existing item's offset by <paramref name="count"/> (cursor drift).
    /// </summary>
    public void InsertAtHead(string projectId, int count) => InsertAtHeadAndCount(projectId, count);

    /// <summary>The project's whole data set, newest first and unfiltered: the truth tests compare against.</summary>
    public IReadOnlyList<QualityInstance> Dataset(string projectId) => datasets.Get(projectId).Items;

    internal int InsertAtHeadAndCount(string projectId, int count)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1_000_000);
        return datasets.Get(projectId).InsertAtHead(count);
    }

    /// <summary>Counts the call and takes the fault it must suffer, at arrival, so the Nth call gets the Nth fault.</summary>
    internal Fault? BeginListCall()
    {
        Interlocked.Increment(ref listCalls);
        return faults.TakeOne();
    }

    internal void Record(RecordedRequest request) => requests.Add(request);

    [LoggerMessage(Level = LogLevel.Information, Message = "Fault queued: {Kind} x{Times} (<= 0: until cleared)")]
    private partial void LogFaultInjected(FaultKind kind, int times);
}
