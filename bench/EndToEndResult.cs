namespace Etl.Bench;

/// <summary>What one live run of a configuration measured: checkpoint stall and event-time latency at a fixed feed rate.</summary>
internal sealed record EndToEndResult(
    string Label, TimeSpan Interval, TimeSpan Stall, TimeSpan Wall, int Snapshots,
    TimeSpan LongestSnapshot, double P50Ms, double P99Ms, int Windows, double LiveRate)
{
    public double StallRatio => Stall / Wall;
}
