namespace Etl.Samples.OrderTotals.Orders;

/// <summary>One order from the input topic; <see cref="Timestamp"/> is the event time in Unix ms.</summary>
internal sealed record Order(string OrderId, string CustomerId, decimal Amount, long Timestamp);
