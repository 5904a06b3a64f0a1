namespace Etl.Tests.Unit.Windows;

/// <summary>One element of a scripted stream: a record at <see cref="Time"/>, or a watermark (Order null).</summary>
public readonly record struct StreamStep(Order? Order, long Time)
{
    public bool IsWatermark => Order is null;

    public override string ToString() => Order is { } o ? $"R#{o.Id}({o.Customer}@{Time})" : $"W({Time})";
}
