namespace Etl.Connectors.Kafka;

/// <summary>
/// Turns a Kafka record's value into <typeparamref name="T"/>, reading straight from the client's buffer
/// (the span points into native memory and is valid only during the call: copy what you keep).
/// </summary>
/// <remarks>
/// Throwing (any exception) rejects the record: the source emits it as a dead letter with reason
/// <see cref="Etl.Pipeline.DeadLetterReasons.Deserialization"/>, the exception message as error text and
/// the raw key and value bytes, and carries on with the next record. Implementations must be stateless or
/// confined to the one source subtask that uses them.
/// </remarks>
public interface IRecordDeserializer<out T>
{
    /// <param name="value">The value bytes (empty when <paramref name="isNull"/>).</param>
    /// <param name="isNull">The record has a null value (a tombstone).</param>
    T Deserialize(ReadOnlySpan<byte> value, bool isNull);
}
