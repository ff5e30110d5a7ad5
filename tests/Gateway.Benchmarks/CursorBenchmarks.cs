using BenchmarkDotNet.Attributes;
using Gateway.Paging;

namespace Gateway.Benchmarks;

/// <summary>Every edge of a page encodes a cursor; every "after" decodes one.</summary>
public class CursorBenchmarks
{
    private readonly CursorCodec _codec = new("benchmark-cursor-secret-32-bytes"u8);
    private readonly Cursor _cursor = new(1234, 0x1234_5678_9abc_def0, 1_012_386_207_306_600_400);
    private string _encoded = "";

    [GlobalSetup]
    public void Setup() => _encoded = _codec.Encode(_cursor);

    [Benchmark]
    public string Encode() => _codec.Encode(_cursor);

    [Benchmark]
    public bool Decode() => _codec.TryDecode(_encoded, out _);
}
