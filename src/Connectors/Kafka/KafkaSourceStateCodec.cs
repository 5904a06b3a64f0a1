using System.Text.Json;

namespace Etl.Connectors.Kafka;

/// <summary>Serialises <see cref="KafkaSourceState"/> (System.Text.Json, source-generated) and checks its version.</summary>
internal static class KafkaSourceStateCodec
{
    public static byte[] Serialize(KafkaSourceState state) =>
        JsonSerializer.SerializeToUtf8Bytes(state, KafkaSourceStateJsonContext.Default.KafkaSourceState);

    public static KafkaSourceState Deserialize(byte[] data, int oldSubtaskIndex)
    {
        ArgumentNullException.ThrowIfNull(data);
        KafkaSourceState? state;
        try
        {
            state = JsonSerializer.Deserialize(data, KafkaSourceStateJsonContext.Default.KafkaSourceState);
        }
        catch (JsonException e)
        {
            throw new KafkaSourceException($"The Kafka source state of old subtask {oldSubtaskIndex} in the checkpoint is not readable: {e.Message}", e);
        }

        if (state is null || state.Partitions is null)
        {
            throw new KafkaSourceException($"The Kafka source state of old subtask {oldSubtaskIndex} in the checkpoint is empty.");
        }

        if (state.Version != KafkaSourceState.CurrentVersion)
        {
            throw new KafkaSourceException(
                $"The Kafka source state of old subtask {oldSubtaskIndex} has version {state.Version}; this build reads version {KafkaSourceState.CurrentVersion}. " +
                "Restore with the build that wrote it, or start without the checkpoint.");
        }

        return state;
    }
}
