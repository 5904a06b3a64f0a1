using System.Buffers.Binary;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Windows;

/// <summary>
/// The operator state of a window subtask: its watermark at the checkpoint and the windows it makes.
/// <code>
/// byte     version (2; version 1 ends after the watermark)
/// int64    watermark (Unix ms, little-endian; long.MinValue = none yet)
/// byte     window kind (1 = tumbling/sliding, 2 = session)      -- version 2 from here
/// int64    size (sessions: the gap), Unix ms
/// int64    slide (tumbling: = size; sessions: 0)
/// int64    offset (sessions: 0)
/// </code>
/// </summary>
internal static class WindowOperatorState
{
    private const byte Version1 = 1;
    private const byte Version = 2;
    private const int Version1Length = 1 + sizeof(long);
    private const int Length = Version1Length + 1 + (3 * sizeof(long));

    public static byte[] Encode(long watermark, WindowAssignerDescription windows)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), watermark);
        bytes[Version1Length] = windows.Kind;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Version1Length + 1), windows.Size);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Version1Length + 9), windows.Slide);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(Version1Length + 17), windows.Offset);
        return bytes;
    }

    /// <summary>The watermark, and the windows' description (null for version 1, written before it existed).</summary>
    public static (long Watermark, WindowAssignerDescription? Windows) Decode(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var version = data.Length > 0 ? data[0] : (byte)0;
        if ((version != Version1 || data.Length < Version1Length) && (version != Version || data.Length < Length))
        {
            throw new InvalidDataException(
                $"The window operator state has version {version} or is truncated ({data.Length} bytes); this build reads versions {Version1} and {Version}.");
        }

        var watermark = BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(1));
        if (version == Version1)
        {
            return (watermark, null);
        }

        return (watermark, new WindowAssignerDescription(
            data[Version1Length],
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(Version1Length + 1)),
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(Version1Length + 9)),
            BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(Version1Length + 17))));
    }

    /// <summary>
    /// The watermark to resume from: the smallest of every old subtask's. With aligned barriers all subtasks had
    /// the same one at the checkpoint; otherwise the smallest was reached by all of them. A checkpoint without
    /// watermark state (or with a subtask that had none) resumes from the minimum.
    /// </summary>
    /// <returns>
    /// The watermark; the windows of the checkpoint when they differ from <paramref name="current"/> (else null);
    /// and whether some old subtask's state (version 1) did not say which windows it had.
    /// </returns>
    public static (long Watermark, WindowAssignerDescription? Changed, bool Unverified) Restore(RestoredState restored, WindowAssignerDescription current)
    {
        ArgumentNullException.ThrowIfNull(restored);
        var states = restored.UnionOperatorState.Select(s => Decode(s.Data)).ToList();
        var changed = states.Select(s => s.Windows).FirstOrDefault(w => w is { } stored && stored != current);
        var watermark = states.Count == 0 || states.Count < restored.OldParallelism ? long.MinValue : states.Min(s => s.Watermark);
        return (watermark, changed, states.Any(s => s.Windows is null));
    }

    /// <summary>The refusal to restore windows of another configuration: names both, and the ways out.</summary>
    public static IncompatibleStateException Incompatible(string operatorId, CheckpointId checkpointId, WindowAssignerDescription stored, WindowAssignerDescription current) =>
        new($"Operator '{operatorId}': checkpoint {checkpointId.Value} has {stored}, the job now has {current}. " +
            "Restoring would mix windows of both configurations. Restore with the old window configuration, or start with " +
            "--allow-non-restored-state (JobOptions.AllowNonRestoredState) to drop this operator's windows: the job then resumes from " +
            "the checkpoint with no open windows, so the windows open at the checkpoint lose the records read before it.");
}
