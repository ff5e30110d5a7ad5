namespace Gateway.Redis;

/// <summary>What a Redis command is for, which decides how long it may take.</summary>
public enum RedisTraffic
{
    /// <summary>A cache read or write, bounded by Redis:OperationTimeout: a miss is cheaper than a wait.</summary>
    Cache,

    /// <summary>
    /// A command that coordinates replicas (single-flight claims, the shared budget, the cursor
    /// key), bounded by Redis:CoordinationTimeout: giving up too early would let replicas act alone.
    /// </summary>
    Coordination,
}

/// <summary>A Redis command's reply, or none when Redis was not configured, not reachable, failing or too slow.</summary>
public readonly record struct RedisReply<T>(bool Answered, T Value)
{
    /// <summary>No reply (<see cref="Answered"/> false, <see cref="Value"/> default): the caller acts as if Redis did not exist.</summary>
    public static RedisReply<T> None => default;
}
