namespace Etl.Bench;

/// <summary>
/// One bounded backlog run: rate and CPU per million records; for the job also the tail (last record read to the final
/// commit, as a share of the run), PostgreSQL's CPU per million records (NaN when the server is not local), and the
/// peaks of the process's working set and managed heap sampled during the run (0 for the bare loop).
/// </summary>
internal readonly record struct BacklogRound(double Rate, double CpuPerMillion, double Tail = double.NaN, double ServerCpuPerMillion = double.NaN, long PeakWorkingSet = 0, long PeakHeap = 0);

/// <summary>The bounded backlog runs of one configuration, per round, and their medians.</summary>
internal sealed record EndToEndBacklogResult(string Label, List<BacklogRound> Rounds)
{
    public double Rate => Median(Rounds.Select(r => r.Rate));

    public double CpuPerMillion => Median(Rounds.Select(r => r.CpuPerMillion));

    public double Tail => Median(Rounds.Select(r => r.Tail));

    public double ServerCpuPerMillion => Median(Rounds.Select(r => r.ServerCpuPerMillion));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
