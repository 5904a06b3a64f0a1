namespace Etl.Samples.OrderTotals.Demo;

/// <summary>The outcome of comparing the pipeline's output with the reference computation.</summary>
/// <param name="Windows">Windows in the reference.</param>
/// <param name="Mismatches">Windows missing, extra or different in the table.</param>
/// <param name="Malformed">Generated records that must be <c>deserialization</c> dead letters.</param>
/// <param name="AheadOfTime">Generated orders that must be <c>event-time-ahead</c> dead letters.</param>
/// <param name="Problems">Every discrepancy (totals and dead letters), described.</param>
internal sealed record CheckReport(int Windows, int Mismatches, int DeadLetters, int Malformed, int AheadOfTime, int LateRecords, IReadOnlyList<string> Problems)
{
    public bool IsExact => Mismatches == 0 && Problems.Count == 0;

    public string Summary => $"exactly-once check: {Windows} windows, {Mismatches} mismatches";
}
