namespace QualityApi.Emulator;

/// <summary>
/// Makes instances that look like the real service's: snowflake-like ids that grow with time,
/// a task id minted when the task was created (earlier), a handful of rule names so a name
/// filter hits several items, and skewed statuses (RUNNING and SUSPENDING are rare).
/// Not thread-safe: its owner serializes calls.
/// </summary>
internal sealed class InstanceFactory(SplitMix64 random)
{
    // Ids are base + milliseconds since 2021 shifted left 16 bits + 16 random bits: 19 digits
    // around 1.01e18 like the documented 1012386207306600400, far above 2^53.
    private const long IdBase = 1_000_000_000_000_000_000;
    private const long IdEpochMs = 1_609_459_200_000;
    private const int IdRandomBits = 16;

    private static readonly string[] Names =
    [
        "rule-null-check", "rule-uniqueness", "rule-row-count", "rule-freshness", "rule-value-range",
        "rule-regex-match", "rule-referential", "rule-duplicate-rows", "rule-schema-drift", "rule-enum-set",
        "rule-volume-anomaly", "rule-timeliness", "rule-cross-source", "rule-format-check", "rule-completeness",
    ];

    private static readonly string[] RunStatuses = ["SUCCESS", "ALARMING", "FAILED", "UNKNOWN", "RUNNING", "SUSPENDING"];
    private static readonly int[] RunStatusWeights = [50, 16, 16, 8, 6, 4];
    private static readonly string[] FinishedRunStatuses = ["SUCCESS", "ALARMING", "FAILED", "UNKNOWN"];
    private static readonly int[] FinishedRunStatusWeights = [50, 16, 16, 8];
    private static readonly string[] NotifyStatuses = ["NOT_TRIGGERED", "SUCCESS", "FAILED"];
    private static readonly int[] NotifyStatusWeights = [55, 35, 10];

    private readonly HashSet<long> usedIds = [];

    public SplitMix64 Random { get; } = random;

    public QualityInstance Create(long startTimeMs)
    {
        var id = NextId(startTimeMs);
        var taskCreatedMs = startTimeMs - Random.NextInt64(3_600_000L, 400L * 86_400_000L);
        var taskId = NextId(taskCreatedMs);
        var name = Names[Random.NextInt64(Names.Length)];
        var taskType = Random.NextInt64(100) < 70 ? Vocabulary.QualityTask : Vocabulary.ConsistencyTask;
        var runStatus = RunStatuses[Random.NextWeighted(RunStatusWeights)];
        var notifyStatus = NotifyStatuses[Random.NextWeighted(NotifyStatusWeights)];
        // Whole seconds, like the documented sample (1661413281000 .. 1661413381000).
        var endTimeMs = startTimeMs + (Random.NextInt64(5, 1800) * 1000);
        return new QualityInstance(id, name, taskId, taskType, runStatus, notifyStatus, startTimeMs, endTimeMs);
    }

    /// <summary>The instance as it is once its run has finished; a finished one is returned unchanged.</summary>
    public QualityInstance Settle(QualityInstance instance) =>
        instance.RunStatus is Vocabulary.Running or Vocabulary.Suspending
            ? instance with { RunStatus = FinishedRunStatuses[Random.NextWeighted(FinishedRunStatusWeights)] }
            : instance;

    // Odd and not ending in 5: never a multiple of 10, and never exactly representable as a
    // double (doubles this large are multiples of 128), so a lossy client is always caught.
    private long NextId(long atMs)
    {
        var timePart = Math.Max(0, atMs - IdEpochMs) << IdRandomBits;
        while (true)
        {
            var id = IdBase + timePart + Random.NextInt64(1L << IdRandomBits);
            if ((id & 1) == 1 && id % 10 != 5 && usedIds.Add(id))
            {
                return id;
            }
        }
    }
}
