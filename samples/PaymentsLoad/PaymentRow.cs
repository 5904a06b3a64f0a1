namespace Etl.Samples.PaymentsLoad;

/// <summary>One row of the payments table: the amount in the currency's minor units (cents), the currency upper-case.</summary>
/// <param name="PaidAt">Unix milliseconds.</param>
internal sealed record PaymentRow(string PaymentId, string Account, long AmountMinor, string Currency, long PaidAt)
{
    /// <summary>Normalises a parsed payment; cannot fail, because <see cref="Payment.Parse"/> checked that the amount fits.</summary>
    public static PaymentRow From(Payment payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return new PaymentRow(
            payment.PaymentId, payment.Account, payment.Currency.ToMinorUnits(payment.Amount), payment.Currency.Code, payment.PaidAt.ToUnixTimeMilliseconds());
    }
}
