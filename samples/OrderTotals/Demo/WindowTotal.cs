namespace Etl.Samples.OrderTotals.Demo;

/// <summary>One row of order_totals: a customer's total and order count in one window (times in Unix ms).</summary>
internal sealed record WindowTotal(string CustomerId, long WindowStart, long WindowEnd, decimal Total, long OrderCount);
