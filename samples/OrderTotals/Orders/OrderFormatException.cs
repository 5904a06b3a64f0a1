namespace Etl.Samples.OrderTotals.Orders;

/// <summary>An order record that cannot be used; the message is the dead-letter error text.</summary>
internal sealed class OrderFormatException : FormatException
{
    public OrderFormatException()
    {
    }

    public OrderFormatException(string message)
        : base(message)
    {
    }

    public OrderFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
