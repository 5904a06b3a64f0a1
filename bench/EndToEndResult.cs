namespace Etl.Bench;

/// <summary>What one configuration of the job measured.</summary>
internal sealed record EndToEndResult(
    string Label, TimeSpan Interval, double Rate, double CpuSecondsPerMillion, TimeSpan Stall, TimeSpan Wall, int Snapshots,
    TimeSpan LongestSnapshot, double P50Ms, double P99Ms, int Windows, double LiveRate)
{
    public double StallRatio => Stall / Wall;
}
