namespace Etl.Pipeline.Aggregation;

/// <summary>Binary serializers for the values the built-in aggregates and keys use.</summary>
public static class StateSerializers
{
    /// <summary>Length-prefixed UTF-8 (BinaryWriter.Write(string)).</summary>
    public static IStateSerializer<string> Strings { get; } = new StringStateSerializer();

    /// <summary>8 bytes, little-endian.</summary>
    public static IStateSerializer<long> Longs { get; } = new Int64StateSerializer();

    /// <summary>16 bytes: the exact decimal bits, so money round-trips exactly.</summary>
    public static IStateSerializer<decimal> Decimals { get; } = new DecimalStateSerializer();

    /// <summary>One presence byte, then 16 bytes when present.</summary>
    public static IStateSerializer<decimal?> NullableDecimals { get; } = new NullableDecimalStateSerializer();

    /// <summary>The sum (16 bytes) then the count (8 bytes).</summary>
    public static IStateSerializer<AverageAccumulator> Averages { get; } = new AverageAccumulatorSerializer();
}
