namespace Etl.Tests.Integration.PaymentsLoad;

/// <summary>A record of the test stream and, for a loaded one, the row it must become (computed here, not by the job's code).</summary>
internal sealed record GeneratedPayment(string Key, string Json, PaymentFate Fate, string PaymentId, string Account, long AmountMinor, string Currency)
{
    /// <summary>The row as the check reads it back: <c>payment_id account amount_minor currency</c>.</summary>
    public string Row => $"{PaymentId} {Account} {AmountMinor} {Currency}";
}
