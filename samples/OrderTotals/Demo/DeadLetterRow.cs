namespace Etl.Samples.OrderTotals.Demo;

/// <summary>A row of the dead-letter table as the check reads it.</summary>
internal sealed record DeadLetterRow(string Reason, byte[]? Value, string Error);
