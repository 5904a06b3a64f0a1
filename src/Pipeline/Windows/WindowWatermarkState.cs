using System.Buffers.Binary;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Windows;

/// <summary>
/// The operator state of a window subtask: its watermark at the checkpoint.
/// <code>
/// byte     version (1)
/// int64    watermark (Unix ms, little-endian; long.MinValue = none yet)
/// </code>
/// </summary>
internal static class WindowWatermarkState
{
    private const byte Version = 1;
    private const int Length = 1 + sizeof(long);

    public static byte[] Encode(long watermark)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), watermark);
        return bytes;
    }

    public static long Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < Length || data[0] != Version)
        {
            throw new InvalidDataException(
                $"The window watermark state has version {(data.Length > 0 ? data[0] : 0)} or is truncated ({data.Length} bytes); this build reads version {Version}.");
        }

        return BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(1));
    }

    /// <summary>
    /// The watermark to resume from: the smallest of every old subtask's. With aligned barriers all
    /// subtasks had the same one at the checkpoint; otherwise the smallest was reached by all of them.
    /// A checkpoint without watermark state (or with a subtask that had none) resumes from the minimum.
    /// </summary>
    public static long Restore(RestoredState restored)
    {
        ArgumentNullException.ThrowIfNull(restored);
        var watermarks = restored.UnionOperatorState.Select(s => Decode(s.Data)).ToList();
        return watermarks.Count == 0 || watermarks.Count < restored.OldParallelism ? long.MinValue : watermarks.Min();
    }
}
