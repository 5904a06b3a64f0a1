using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Etl.Pipeline.Windows;

/// <summary>Ways to turn a late record into dead-letter bytes.</summary>
public static class LateRecordSerializers
{
    /// <summary>UTF-8 JSON through System.Text.Json source generation.</summary>
    public static Func<TIn, byte[]> Json<TIn>(JsonTypeInfo<TIn> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return value => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
    }
}
