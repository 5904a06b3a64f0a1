namespace Etl.Tests.Unit.Windows;

/// <summary>A test record: a customer's order with an exact amount; the id traces it through windows.</summary>
public sealed record Order(long Id, string Customer, decimal Amount)
{
    public static byte[] Serialize(Order order) => BitConverter.GetBytes(order.Id);

    public static long IdOf(byte[] serialized) => BitConverter.ToInt64(serialized);
}
