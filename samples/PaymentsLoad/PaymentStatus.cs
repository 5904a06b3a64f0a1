namespace Etl.Samples.PaymentsLoad;

/// <summary>Where a payment stands; the load keeps <see cref="Captured"/> payments (money that moved).</summary>
internal enum PaymentStatus
{
    Authorized,
    Captured,
    Failed,
}
