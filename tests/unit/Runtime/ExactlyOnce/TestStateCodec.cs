namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// The test operators' state layout: version byte 1, then a count and (int, long) pairs.
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

    private static void CheckVersion(byte version)
    {
        if (version != Version)
        {
            throw new InvalidDataException($"Unknown test state version {version}.");
        }
    }
}
