using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;

namespace Gateway.Benchmarks;

/// <summary>
/// Every benchmark reports allocations (the budget is per request), and results are
/// written as GitHub markdown and JSON so that they can be committed next to the load results.
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() => DefaultConfig.Instance
        .AddDiagnoser(MemoryDiagnoser.Default)
        .AddExporter(JsonExporter.Brief)
        .WithOptions(ConfigOptions.JoinSummary);
}
