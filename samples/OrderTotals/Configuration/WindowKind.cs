namespace Etl.Samples.OrderTotals.Configuration;

/// <summary>The event-time window the order totals are computed over.</summary>
internal enum WindowKind
{
    Tumbling,
    Sliding,
    Session,
}
