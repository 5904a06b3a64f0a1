namespace Etl.Pipeline.Aggregation;

/// <summary>
/// Writes a value into a checkpoint record and reads it back. The layout must be stable across
/// versions of the job: a checkpoint written today is restored by tomorrow's build.
/// </summary>
public interface IStateSerializer<T>
{
    void Write(BinaryWriter writer, T value);

    T Read(BinaryReader reader);
}
