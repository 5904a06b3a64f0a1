namespace Etl.Pipeline;

/// <summary>The reasons the runtime itself writes into <see cref="DeadLetter.Reason"/>.</summary>
public static class DeadLetterReasons
{
    /// <summary>The bytes could not be deserialised.</summary>
    public const string Deserialization = "deserialization";

    /// <summary>The value was well-formed but failed validation.</summary>
    public const string Validation = "validation";

    /// <summary>The record arrived after its window's allowed lateness.</summary>
    public const string Late = "late";

    /// <summary>The record's event time is further ahead of the wall clock than the source accepts.</summary>
    public const string EventTimeAhead = "event-time-ahead";
}
