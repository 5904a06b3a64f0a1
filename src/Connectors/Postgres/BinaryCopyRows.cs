using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Etl.Connectors.Postgres;

/// <summary>
/// PostgreSQL's binary COPY format (https://www.postgresql.org/docs/current/sql-copy.html, "Binary Format") written into
/// a buffer that is sent in large pieces: the header, per row the field count and per field its length and bytes, the
/// trailer.
/// </summary>
internal sealed class BinaryCopyRows : IDisposable
{
    // 2000-01-01 (PostgreSQL's timestamp zero) in DateTime ticks, as Npgsql has it.
    private const long PostgresEpochTicks = 630822816000000000L;

    // Room left when the buffer counts as full: more than any row of fixed-size fields; a longer text grows the buffer.
    private const int Headroom = 1024;

    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // Npgsql's own text encoding: a string that is not valid UTF-16 (a lone surrogate) throws instead of being altered.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);

    public BinaryCopyRows() => Header.CopyTo(_buffer, 0);

    public int Length { get; private set; } = Header.Length;

    public bool Full => Length >= _buffer.Length - Headroom;

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Span(2), fields);

    public void End() => BinaryPrimitives.WriteInt16BigEndian(Span(2), -1);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Span(4), -1);

    public void Int64(long value)
    {
        var span = Span(12);
        BinaryPrimitives.WriteInt32BigEndian(span, 8);
        BinaryPrimitives.WriteInt64BigEndian(span[4..], value);
    }

    public void Int32(int value)
    {
        var span = Span(8);
        BinaryPrimitives.WriteInt32BigEndian(span, 4);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], value);
    }

    public void Text(string value)
    {
        var max = Utf8.GetMaxByteCount(value.Length);
        var span = Reserve(4 + max);
        var length = Utf8.GetBytes(value, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        Length += 4 + length;
    }

    /// <summary>As Npgsql writes a DateTime to timestamp/timestamptz: microseconds since 2000-01-01, its min and max values as -infinity and infinity.</summary>
    public void Timestamp(DateTime value) =>
        Int64(value.Ticks == DateTime.MaxValue.Ticks ? long.MaxValue
            : value.Ticks == DateTime.MinValue.Ticks ? long.MinValue
            : (value.Ticks - PostgresEpochTicks) / 10);

    /// <summary>PostgreSQL's numeric: base-10000 digits around the decimal point, a weight, a sign and the display scale.</summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Whole groups of four fractional digits: pad the fraction to a multiple of four.
        var pad = (4 - (scale % 4)) % 4;
        for (var i = 0; i < pad; i++)
        {
            mantissa *= 10;
        }

        var fractionGroups = (scale + pad) / 4;
        Span<short> groups = stackalloc short[12];
        var count = 0;
        while (mantissa != 0)
        {
            groups[count++] = (short)(ushort)(mantissa % 10000);
            mantissa /= 10000;
        }

        var weight = count - fractionGroups - 1;
        var low = 0;
        while (low < count && groups[low] == 0)
        {
            low++;
        }

        var digits = count - low;
        var span = Span(4 + 8 + (2 * digits));
        BinaryPrimitives.WriteInt32BigEndian(span, 8 + (2 * digits));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], (short)digits);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)(digits == 0 ? 0 : weight));
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], negative && digits > 0 ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[10..], (short)scale);
        for (var i = 0; i < digits; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(12 + (2 * i))..], groups[count - 1 - i]);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private Span<byte> Span(int length)
    {
        var span = Reserve(length);
        Length += length;
        return span[..length];
    }

    private Span<byte> Reserve(int length)
    {
        if (Length + length > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, Length + length));
            _buffer.AsSpan(0, Length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(Length);
    }
}
