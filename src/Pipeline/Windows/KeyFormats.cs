using System.Globalization;
using System.Text;
using Etl.Pipeline.Aggregation;

namespace Etl.Pipeline.Windows;

/// <summary>Key formats for common key types.</summary>
public static class KeyFormats
{
    /// <summary>String keys: Murmur3 of the UTF-8 bytes; dead-letter key = UTF-8.</summary>
    public static KeyFormat<string> Strings { get; } =
        new(State.StableHash.Of, StateSerializers.Strings, Encoding.UTF8.GetBytes);

    /// <summary>64-bit keys: Murmur3 of the 8 bytes; dead-letter key = the decimal digits in UTF-8.</summary>
    public static KeyFormat<long> Longs { get; } =
        new(State.StableHash.Of, StateSerializers.Longs, key => Encoding.UTF8.GetBytes(key.ToString(CultureInfo.InvariantCulture)));
}
