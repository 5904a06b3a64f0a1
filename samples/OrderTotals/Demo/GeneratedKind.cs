namespace Etl.Samples.OrderTotals.Demo;

/// <summary>What the generator meant a record to be.</summary>
internal enum GeneratedKind
{
    /// <summary>A valid order within the out-of-orderness: never late.</summary>
    OnTime,

    /// <summary>A valid order far behind the stream: late unless the partitions were read unevenly.</summary>
    LateProne,

    /// <summary>A record the parser must reject (malformed JSON, a missing field, a bad amount or ts).</summary>
    Malformed,

    /// <summary>A well-formed order stamped far past the wall clock (year 9999): dead-lettered as <c>event-time-ahead</c>.</summary>
    AheadOfTime,
}
