using System.Buffers.Binary;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Windows;

/// <summary>
/// The checkpoint layout of window state: one record per key group (BinaryWriter, little-endian).
/// <code>
/// byte     version (2; version 1 is read too)
/// byte     window kind (1 = aligned: tumbling/sliding, 2 = session)
/// int32    key count
/// per key:
///   key      (KeyFormat.Serializer)
///   7-bit    window count
///   per window:
///     int64    start (Unix ms)
///     7-bit64  end - start
///     byte     flags (bit 0: fired; bit 1: emitted; bit 2: superseded starts follow)   -- version 1: bit 0 only
///     [7-bit   superseded count, then int64 each (Unix ms)]                             -- if bit 2
///     acc      (IAggregate.AccumulatorSerializer)
/// </code>
/// A version 1 record has no emitted flag and no superseded starts: a window counts as emitted when it fired, so a
/// session that fired, then grew past the watermark before that checkpoint, does not retract its old start if a
/// later record moves it (what every restore did before retractions existed).
/// Timers are not stored: every window has exactly one pending action (fire at end - 1 unless fired,
/// else cleanup at end - 1 + lateness), which restore re-derives. The watermark is operator state
/// (<see cref="WindowOperatorState"/>), not keyed.
/// </summary>
internal sealed class WindowStateCodec<TKey, TAcc>(KeyFormat<TKey> keyFormat, IStateSerializer<TAcc> accumulators, byte kind)
    where TKey : notnull
{
    public const byte AlignedKind = WindowAssignerDescription.AlignedKind;
    public const byte SessionKind = WindowAssignerDescription.SessionKind;
    private const byte Version1 = 1;
    private const byte Version = 2;
    private const byte FiredFlag = 1;
    private const byte EmittedFlag = 2;
    private const byte SupersededFlag = 4;

    public IReadOnlyList<KeyGroupState> Snapshot<TIn, TResult>(WindowStore<TIn, TKey, TAcc, TResult> store, int maxParallelism)
    {
        var writers = new Dictionary<int, BinaryWriter>();
        var keyCounts = new Dictionary<int, int>();
        try
        {
            foreach (var windows in store.Keys)
            {
                var key = windows.Key;
                var group = KeyGroups.Of(keyFormat.StableHash(key), maxParallelism);
                if (!writers.TryGetValue(group, out var writer))
                {
                    writer = new BinaryWriter(new MemoryStream());
                    writer.Write(Version);
                    writer.Write(kind);
                    writer.Write(0); // key count, patched below
                    writers.Add(group, writer);
                }

                keyCounts[group] = keyCounts.GetValueOrDefault(group) + 1;
                keyFormat.Serializer.Write(writer, key);
                writer.Write7BitEncodedInt(windows.Count);
                for (var i = 0; i < windows.Count; i++)
                {
                    ref var window = ref windows[i];
                    writer.Write(window.Start);
                    writer.Write7BitEncodedInt64(window.End - window.Start);
                    var flags = (byte)((window.Fired ? FiredFlag : 0) | (window.Emitted ? EmittedFlag : 0) | (window.Superseded is null ? 0 : SupersededFlag));
                    writer.Write(flags);
                    if (window.Superseded is { } superseded)
                    {
                        writer.Write7BitEncodedInt(superseded.Length);
                        foreach (var start in superseded)
                        {
                            writer.Write(start);
                        }
                    }

                    accumulators.Write(writer, window.Accumulator);
                }
            }

            var states = new List<KeyGroupState>(writers.Count);
            foreach (var (group, writer) in writers.OrderBy(w => w.Key))
            {
                writer.Flush();
                var bytes = ((MemoryStream)writer.BaseStream).ToArray();
                BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2, 4), keyCounts[group]);
                states.Add(new KeyGroupState(group, bytes));
            }

            return states;
        }
        finally
        {
            foreach (var writer in writers.Values)
            {
                writer.Dispose();
            }
        }
    }

    /// <summary>Restores the key groups in <paramref name="owned"/>; returns the number of windows restored.</summary>
    public int Restore<TIn, TResult>(
        WindowStore<TIn, TKey, TAcc, TResult> store, IEnumerable<KeyGroupState> keyedState, KeyGroupRange owned, int maxParallelism)
    {
        var restored = 0;
        foreach (var group in keyedState)
        {
            if (!owned.Contains(group.KeyGroup))
            {
                continue;
            }

            using var reader = new BinaryReader(new MemoryStream(group.Data, writable: false));
            var version = reader.ReadByte();
            if (version is not (Version1 or Version))
            {
                throw new InvalidDataException($"Window state of key group {group.KeyGroup} has version {version}; this build reads versions {Version1} and {Version}.");
            }

            var storedKind = reader.ReadByte();
            if (storedKind != kind)
            {
                throw new InvalidDataException(
                    $"Window state of key group {group.KeyGroup} was written by a {KindName(storedKind)} window operator, not a {KindName(kind)} one. " +
                    "Give the changed operator a new uid (and --allow-non-restored-state) instead of restoring it.");
            }

            var keys = reader.ReadInt32();
            for (var k = 0; k < keys; k++)
            {
                var key = keyFormat.Serializer.Read(reader);
                if (KeyGroups.Of(keyFormat.StableHash(key), maxParallelism) != group.KeyGroup)
                {
                    throw new InvalidDataException(
                        $"A key in the window state of key group {group.KeyGroup} hashes to another key group: the key's stable hash or the max parallelism changed.");
                }

                var count = reader.Read7BitEncodedInt();
                for (var w = 0; w < count; w++)
                {
                    var start = reader.ReadInt64();
                    var end = start + reader.Read7BitEncodedInt64();
                    var flags = reader.ReadByte();
                    var fired = (flags & FiredFlag) != 0;
                    long[]? superseded = null;
                    if ((flags & SupersededFlag) != 0)
                    {
                        superseded = new long[reader.Read7BitEncodedInt()];
                        for (var s = 0; s < superseded.Length; s++)
                        {
                            superseded[s] = reader.ReadInt64();
                        }
                    }

                    var accumulator = accumulators.Read(reader);
                    store.Restore(key, new WindowSlot<TAcc>(start, end, accumulator, fired)
                    {
                        Emitted = version == Version1 ? fired : (flags & EmittedFlag) != 0,
                        Superseded = superseded,
                    });
                    restored++;
                }
            }
        }

        return restored;
    }

    private static string KindName(byte kind) => kind switch
    {
        AlignedKind => "tumbling/sliding",
        SessionKind => "session",
        _ => $"unknown (kind {kind})",
    };
}
