using System.Text;
using System.Text.Json;

namespace Etl.Pipeline.Operators;

/// <summary>The default bytes of a dead letter made from a record: UTF-8 of a string, a byte array as is, else JSON.</summary>
internal static class RecordBytes
{
    public static Func<T, byte[]> Of<T>()
    {
        if (typeof(T) == typeof(string))
        {
            return value => Encoding.UTF8.GetBytes((string)(object)value!);
        }

        if (typeof(T) == typeof(byte[]))
        {
            return value => (byte[])(object)value!;
        }

        return value => JsonSerializer.SerializeToUtf8Bytes(value);
    }
}
