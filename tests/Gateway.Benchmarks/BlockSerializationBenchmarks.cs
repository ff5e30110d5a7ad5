using System.Buffers;
using BenchmarkDotNet.Attributes;
using Gateway.Caching;
using Gateway.Upstream;

namespace Gateway.Benchmarks;

/// <summary>
/// A full block of 100 instances to and from its cached form: what a Redis (L2) write and
/// read cost besides the network.
/// </summary>
public class BlockSerializationBenchmarks
{
    private readonly InstanceBlockSerializer _serializer = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private InstanceBlock _block = null!;
    private ReadOnlySequence<byte> _stored;

    [GlobalSetup]
    public void Setup()
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var items = Enumerable.Range(0, 100).Select(i => new QualityTaskInstance(
            1_012_386_207_306_600_400 + i,
            $"rule-{i % 17}-completeness-check",
            1_012_386_207_306_000_000 + (i % 7),
            (QualityTaskType)(i % 2),
            (QualityRunStatus)(i % 6),
            (QualityNotifyStatus)(i % 3),
            start.AddMinutes(-i),
            i % 6 == 0 ? null : start.AddMinutes(-i).AddSeconds(42))).ToArray();
        _block = new InstanceBlock(3000, start, items);
        _serializer.Serialize(_block, _buffer);
        _stored = new ReadOnlySequence<byte>(_buffer.WrittenMemory.ToArray());
    }

    [Benchmark]
    public int Serialize()
    {
        _buffer.ResetWrittenCount();
        _serializer.Serialize(_block, _buffer);
        return _buffer.WrittenCount;
    }

    [Benchmark]
    public InstanceBlock Deserialize() => _serializer.Deserialize(_stored);
}
