using Etl.Samples.OrderTotals.Orders;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>One generated record: where it goes, its bytes, and what it is (<see cref="Order"/> is null for malformed ones).</summary>
internal sealed record GeneratedOrder(int Index, int Partition, string Key, byte[] Value, GeneratedKind Kind, Order? Order);
