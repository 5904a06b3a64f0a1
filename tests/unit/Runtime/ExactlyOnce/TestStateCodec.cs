namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// The test operators' state layout: version byte 1, then a count and (int, long) pairs, or for the sink
/// a count of transactions, each (checkpoint id, tx id, rows).
/// </summary>
public static class TestStateCodec
{
    private const byte Version = 1;

    public static byte[] EncodePairs(IEnumerable<KeyValuePair<int, long>> pairs)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(Version);
        var list = pairs.ToList();
        writer.Write(list.Count);
        foreach (var (key, value) in list)
        {
            writer.Write(key);
            writer.Write(value);
        }

        writer.Flush();
        return stream.ToArray();
    }

    public static IEnumerable<KeyValuePair<int, long>> DecodePairs(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data));
        CheckVersion(reader.ReadByte());
        var count = reader.ReadInt32();
        var pairs = new List<KeyValuePair<int, long>>(count);
        for (var i = 0; i < count; i++)
        {
            pairs.Add(new(reader.ReadInt32(), reader.ReadInt64()));
        }

        return pairs;
    }

    public static byte[] EncodeTransactions(IEnumerable<(long CheckpointId, string TxId, List<Sum> Rows)> transactions)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write(Version);
        var list = transactions.ToList();
        writer.Write(list.Count);
        foreach (var (checkpointId, txId, rows) in list)
        {
            writer.Write(checkpointId);
            writer.Write(txId);
            writer.Write(rows.Count);
            foreach (var row in rows)
            {
                writer.Write(row.Key);
                writer.Write(row.Partition);
                writer.Write(row.Offset);
                writer.Write(row.Total);
            }
        }

        writer.Flush();
        return stream.ToArray();
    }

    public static List<(long CheckpointId, string TxId, List<Sum> Rows)> DecodeTransactions(byte[] data)
    {
        using var reader = new BinaryReader(new MemoryStream(data));
        CheckVersion(reader.ReadByte());
        var count = reader.ReadInt32();
        var result = new List<(long, string, List<Sum>)>(count);
        for (var i = 0; i < count; i++)
        {
            var checkpointId = reader.ReadInt64();
            var txId = reader.ReadString();
            var rowCount = reader.ReadInt32();
            var rows = new List<Sum>(rowCount);
            for (var r = 0; r < rowCount; r++)
            {
                rows.Add(new Sum(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64()));
            }

            result.Add((checkpointId, txId, rows));
        }

        return result;
    }

    private static void CheckVersion(byte version)
    {
        if (version != Version)
        {
            throw new InvalidDataException($"Unknown test state version {version}.");
        }
    }
}
