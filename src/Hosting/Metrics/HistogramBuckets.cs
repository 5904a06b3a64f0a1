namespace Etl.Hosting.Metrics;

/// <summary>Upper bounds of histogram buckets, chosen by the instrument's unit.</summary>
internal static class HistogramBuckets
{
    private static readonly double[] Milliseconds = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000];
    private static readonly double[] Seconds = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] Bytes = [1_024, 4_096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304, 16_777_216, 67_108_864, 268_435_456, 1_073_741_824];
    private static readonly double[] Plain = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

    public static double[] For(string? unit) => unit switch
    {
        "ms" => Milliseconds,
        "s" => Seconds,
        "By" => Bytes,
        _ => Plain,
    };
}
