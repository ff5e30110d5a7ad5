namespace Gateway.Tests.Infrastructure;

/// <summary>
/// Tests whose acceptance criteria are real-process latencies (a cluster failover, a dead
/// replica's claim taken over). They run alone, after the parallel tests, so that their
/// bounds measure the gateway and not the other tests competing for two cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "real-process timing (runs alone)";
}
