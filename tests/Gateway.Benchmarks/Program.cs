using BenchmarkDotNet.Running;
using Gateway.Benchmarks;

// One executable for everything performance: the microbenchmarks (default), the ceiling
// endpoint the load scenarios compare against, and the BROWSE scenario's request list.
return args.FirstOrDefault() switch
{
    "ceiling" => await CeilingServer.RunAsync(args[1..]),
    "prepare-browse" => await BrowsePlan.RunAsync(args[1..]),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(CursorBenchmarks).Assembly).Run(args, BenchmarkConfig.Create());
    return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
}
