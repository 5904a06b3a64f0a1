namespace Etl.Samples.OrderTotals.Orders;

/// <summary>A window's running total and order count (the accumulator and the result).</summary>
internal readonly record struct OrderTotal(decimal Total, long Count);
