using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Upstream;

namespace Gateway.Caching;

/// <summary>
/// The cached form of a block: source-generated JSON with one-letter names and enums as
/// numbers (about half the size of the upstream's own body), ids as exact integers, the
/// upstream's count and the fetch time. Nothing about the caller is stored.
/// </summary>
public sealed class InstanceBlockSerializer
{
    /// <summary>The block stored in <paramref name="source"/>.</summary>
    /// <exception cref="JsonException">The bytes are not a stored block (damaged, or written by another version).</exception>
    public InstanceBlock Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        var stored = JsonSerializer.Deserialize(ref reader, CacheJsonContext.Default.StoredBlock);
        if (stored?.Items is null)
        {
            throw new JsonException("A stored block was empty or had no items.");
        }

        var items = new QualityTaskInstance[stored.Items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = stored.Items[i]?.ToInstance() ?? throw new JsonException("A stored block had an empty item.");
        }

        return new InstanceBlock(stored.Count, DateTimeOffset.FromUnixTimeMilliseconds(stored.FetchedAt), items);
    }

    /// <summary>Writes <paramref name="value"/> to <paramref name="target"/> in its stored form.</summary>
    public void Serialize(InstanceBlock value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        var items = new StoredInstance[value.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = StoredInstance.From(value.Items[i]);
        }

        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, new StoredBlock(value.Count, value.FetchedAt.ToUnixTimeMilliseconds(), items), CacheJsonContext.Default.StoredBlock);
    }
}

internal sealed record StoredBlock(
    [property: JsonPropertyName("c")] int Count,
    [property: JsonPropertyName("t")] long FetchedAt,
    [property: JsonPropertyName("i")] StoredInstance[] Items);

internal sealed record StoredInstance(
    [property: JsonPropertyName("d")] long Id,
    [property: JsonPropertyName("n")] string Name,
    [property: JsonPropertyName("k")] long TaskId,
    [property: JsonPropertyName("y")] QualityTaskType TaskType,
    [property: JsonPropertyName("r")] QualityRunStatus RunStatus,
    [property: JsonPropertyName("o")] QualityNotifyStatus NotifyStatus,
    [property: JsonPropertyName("s")] long? StartTime,
    [property: JsonPropertyName("e")] long? EndTime)
{
    public static StoredInstance From(QualityTaskInstance item) =>
        new(item.Id, item.Name, item.TaskId, item.TaskType, item.RunStatus, item.NotifyStatus, item.StartTime?.ToUnixTimeMilliseconds(), item.EndTime?.ToUnixTimeMilliseconds());

    public QualityTaskInstance ToInstance() => new(
        Id,
        Name,
        TaskId,
        TaskType,
        RunStatus,
        NotifyStatus,
        StartTime is { } start ? DateTimeOffset.FromUnixTimeMilliseconds(start) : null,
        EndTime is { } end ? DateTimeOffset.FromUnixTimeMilliseconds(end) : null);
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredBlock))]
[JsonSerializable(typeof(StoredInstance))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
