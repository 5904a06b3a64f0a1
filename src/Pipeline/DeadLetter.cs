namespace Etl.Pipeline;

/// <summary>
/// A record the pipeline could not use, with the reason. Dead letters travel in-band with the
/// records, so a sink writes them in the same checkpoint epoch (and the same transaction) as the
/// results around them: bad records are exactly-once too (DESIGN 7).
/// </summary>
/// <param name="Source">Source coordinates of the original record, when known.</param>
/// <param name="Key">The raw key bytes, when the record had a key.</param>
/// <param name="Value">The raw value bytes (or a serialised form of the late record).</param>
/// <param name="Reason">A short machine-readable reason; see <see cref="DeadLetterReasons"/>.</param>
/// <param name="Error">Human-readable detail: what was wrong.</param>
/// <param name="Timestamp">Event time of the record when known, else the time it was rejected (Unix ms).</param>
public sealed record DeadLetter(
    SourcePosition? Source,
    byte[]? Key,
    byte[]? Value,
    string Reason,
    string Error,
    long Timestamp);
