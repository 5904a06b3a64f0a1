using System.Text;

namespace Etl.Connectors.Kafka;

/// <summary>UTF-8 text values; invalid UTF-8 and null values are rejected (they become dead letters).</summary>
public sealed class Utf8StringDeserializer : IRecordDeserializer<string>
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public string Deserialize(ReadOnlySpan<byte> value, bool isNull) =>
        isNull ? throw new FormatException("The record has a null value.") : Strict.GetString(value);
}
