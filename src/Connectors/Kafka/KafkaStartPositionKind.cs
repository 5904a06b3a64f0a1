namespace Etl.Connectors.Kafka;

/// <summary>See <see cref="KafkaStartPosition"/>.</summary>
public enum KafkaStartPositionKind
{
    Earliest,
    Latest,
    GroupOffsets,
    Timestamp,
}
