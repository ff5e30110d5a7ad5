namespace Gateway.Benchmarks;

internal static class ResultsChart
{
    public static int Run(string[] args) => args.Length == 0 ? 2 : 0;
}
