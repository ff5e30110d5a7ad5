using System.Buffers;
using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.Tests.Caching;

/// <summary>What a block looks like in Redis: every field back exactly, ids above 2^53 included, and nothing about the caller.</summary>
public sealed class InstanceBlockSerializerTests
{
    private static readonly InstanceBlock Block = new(
        Count: 3001,
        FetchedAt: DateTimeOffset.FromUnixTimeMilliseconds(1_661_413_381_123),
        Items:
        [
            new QualityTaskInstance(1012386207306600417, "rule-ä \"quoted\"", 1012385458115825700, QualityTaskType.ConsistencyTask, QualityRunStatus.Alarming, QualityNotifyStatus.Failed, DateTimeOffset.FromUnixTimeMilliseconds(1_661_413_277_000), DateTimeOffset.FromUnixTimeMilliseconds(1_661_413_380_000)),
            new QualityTaskInstance(long.MaxValue, "", 0, QualityTaskType.QualityTask, QualityRunStatus.Running, QualityNotifyStatus.NotTriggered, null, null),
        ]);

    [Fact]
    public void A_block_round_trips_exactly()
    {
        var serializer = new InstanceBlockSerializer();
        var buffer = new ArrayBufferWriter<byte>();

        serializer.Serialize(Block, buffer);
        var back = serializer.Deserialize(new ReadOnlySequence<byte>(buffer.WrittenMemory));

        Assert.Equal(Block.Count, back.Count);
        Assert.Equal(Block.FetchedAt, back.FetchedAt);
        Assert.Equal(Block.Items, back.Items);
        Assert.True(back.HoldsUnfinishedRuns);
    }

    [Fact]
    public void Ids_are_written_as_exact_integers()
    {
        var buffer = new ArrayBufferWriter<byte>();
        new InstanceBlockSerializer().Serialize(Block, buffer);
        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);

        Assert.Contains("1012386207306600417", json, StringComparison.Ordinal);
        Assert.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), json, StringComparison.Ordinal);
    }
}
