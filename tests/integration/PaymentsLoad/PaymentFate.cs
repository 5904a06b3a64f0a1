namespace Etl.Tests.Integration.PaymentsLoad;

/// <summary>What the payments load must do with a generated record.</summary>
internal enum PaymentFate
{
    /// <summary>A valid captured payment: one row.</summary>
    Loaded,

    /// <summary>A valid payment that is not captured: no row, no dead letter.</summary>
    Skipped,

    /// <summary>Not a valid payment: one dead letter with reason <c>validation</c>, no row.</summary>
    Malformed,
}
