using System.Buffers;
using System.Text.Json;
using Gateway.Upstream;
using Microsoft.Extensions.Caching.Hybrid;

namespace Gateway.Caching;

/// <summary>
/// The cached form of one instance for entity lookups: the same compact shape as an item of a
/// cached block (<see cref="StoredInstance"/>), so both entries read the same in Redis and
/// change together. Nothing about the caller is stored.
/// </summary>
public sealed class InstanceEntitySerializer : IHybridCacheSerializer<QualityTaskInstance>
{
    public QualityTaskInstance Deserialize(ReadOnlySequence<byte> source)
    {
        var reader = new Utf8JsonReader(source);
        var stored = JsonSerializer.Deserialize(ref reader, CacheJsonContext.Default.StoredInstance)
            ?? throw new JsonException("A cached instance was empty.");
        return stored.ToInstance();
    }

    public void Serialize(QualityTaskInstance value, IBufferWriter<byte> target)
    {
        ArgumentNullException.ThrowIfNull(value);
        using var writer = new Utf8JsonWriter(target);
        JsonSerializer.Serialize(writer, StoredInstance.From(value), CacheJsonContext.Default.StoredInstance);
    }
}
