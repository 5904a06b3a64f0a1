using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Etl.Pipeline.State;

/// <summary>
/// Hashes that are the same in every process and on every run (string.GetHashCode is randomised per
/// process, which would scatter keyed state across restarts). Murmur3 32-bit, seed 0.
/// </summary>
public static class StableHash
{
    public static int Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        const int StackLimit = 256;
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        Span<byte> buffer = max <= StackLimit ? stackalloc byte[StackLimit] : new byte[max];
        var length = Encoding.UTF8.GetBytes(value, buffer);
        return Of(buffer[..length]);
    }

    public static int Of(long value) => Of(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in value)));

    public static int Of(int value) => Of(MemoryMarshal.AsBytes(new ReadOnlySpan<int>(in value)));

    public static int Of(ReadOnlySpan<byte> data)
    {
        const uint C1 = 0xcc9e2d51;
        const uint C2 = 0x1b873593;
        uint h = 0;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= C1;
            k = uint.RotateLeft(k, 15);
            k *= C2;
            h ^= k;
            h = uint.RotateLeft(h, 13);
            h = (h * 5) + 0xe6546b64;
        }

        var tail = data[(blocks * 4)..];
        uint k1 = 0;
        switch (tail.Length)
        {
            case 3:
                k1 ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                k1 ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                k1 ^= tail[0];
                k1 *= C1;
                k1 = uint.RotateLeft(k1, 15);
                k1 *= C2;
                h ^= k1;
                break;
            default:
                break;
        }

        h ^= (uint)data.Length;
        return (int)Fmix(h);
    }

    /// <summary>Murmur3's finalizer: spreads the bits of an existing hash.</summary>
    public static int Mix(int hash) => (int)Fmix((uint)hash);

    private static uint Fmix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return h;
    }
}
