namespace QualityApi.Emulator;

/// <summary>Faults in injection order; each list call takes one use of the head.</summary>
internal sealed class FaultQueue
{
    private readonly Lock gate = new();
    private readonly Queue<Entry> entries = new();

    public void Enqueue(Fault fault)
    {
        lock (gate)
        {
            entries.Enqueue(new Entry(fault, fault.Times));
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    public Fault? TakeOne()
    {
        lock (gate)
        {
            if (!entries.TryPeek(out var head))
            {
                return null;
            }

            if (head.Fault.Times > 0 && --head.Remaining == 0)
            {
                entries.Dequeue();
            }

            return head.Fault;
        }
    }

    private sealed class Entry(Fault fault, int remaining)
    {
        public Fault Fault { get; } = fault;

        public int Remaining { get; set; } = remaining;
    }
}
