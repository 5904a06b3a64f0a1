using System.Diagnostics.Metrics;

namespace Etl.Pipeline.Windows;

/// <summary>The window operators' instruments on the "Etl" meter.</summary>
internal static class WindowMetrics
{
    private static readonly Meter Meter = new("Etl");

    /// <summary>Records too late for every window they belong to (sent to the late output). Tag: operator.</summary>
    public static readonly Counter<long> LateRecords = Meter.CreateCounter<long>(
        "etl.window.late_records", "{record}", "Records later than the allowed lateness, written as dead letters.");

    /// <summary>Window firings caused by a late record within the allowed lateness. Tag: operator.</summary>
    public static readonly Counter<long> LateUpdates = Meter.CreateCounter<long>(
        "etl.window.late_updates", "{result}", "Window results re-fired by a record within the allowed lateness.");
}
