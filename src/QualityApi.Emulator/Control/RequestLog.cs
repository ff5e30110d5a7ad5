namespace QualityApi.Emulator;

/// <summary>The most recent list calls, bounded so a long benchmark cannot grow it without end.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock gate = new();
    private readonly Queue<RecordedRequest> entries = new();

    public void Add(RecordedRequest request)
    {
        lock (gate)
        {
            entries.Enqueue(request);
            if (entries.Count > capacity)
            {
                entries.Dequeue();
            }
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    public RecordedRequest[] Snapshot()
    {
        lock (gate)
        {
            return [.. entries];
        }
    }
}
