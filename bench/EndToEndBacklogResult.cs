namespace Etl.Bench;

/// <summary>The bounded backlog runs of one configuration: rate and CPU per round, and their medians.</summary>
internal sealed record EndToEndBacklogResult(string Label, List<(double Rate, double CpuPerMillion)> Rounds)
{
    public double Rate => Median(Rounds.Select(r => r.Rate));

    public double CpuPerMillion => Median(Rounds.Select(r => r.CpuPerMillion));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
