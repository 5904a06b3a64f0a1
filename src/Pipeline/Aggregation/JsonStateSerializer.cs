using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Etl.Pipeline.Aggregation;

/// <summary>
/// Serialises a value as length-prefixed UTF-8 JSON through System.Text.Json source generation
/// (pass the generated <c>MyContext.Default.MyAccumulator</c>). Convenient for user accumulators;
/// built-in aggregates use compact binary layouts instead.
/// </summary>
public sealed class JsonStateSerializer<T>(JsonTypeInfo<T> typeInfo) : IStateSerializer<T>
{
    private readonly JsonTypeInfo<T> _typeInfo = typeInfo ?? throw new ArgumentNullException(nameof(typeInfo));

    public void Write(BinaryWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo);
        writer.Write7BitEncodedInt(bytes.Length);
        writer.Write(bytes);
    }

    public T Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var length = reader.Read7BitEncodedInt();
        var bytes = reader.ReadBytes(length);
        if (bytes.Length != length)
        {
            throw new EndOfStreamException($"A JSON state value was cut short: {bytes.Length} of {length} bytes.");
        }

        return JsonSerializer.Deserialize(bytes, _typeInfo)
            ?? throw new InvalidDataException($"A JSON state value of type {typeof(T).Name} was null.");
    }
}
