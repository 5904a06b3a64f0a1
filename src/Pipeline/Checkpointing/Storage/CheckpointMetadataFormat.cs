using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// The bytes of a <c>_metadata</c> file: one line of JSON (<see cref="CheckpointMetadata"/>), then a line
/// <c>sha256:&lt;hex&gt;</c> holding the SHA-256 of the JSON line's bytes. A truncated or altered file fails the
/// check; JSON is only parsed once the checksum holds.
/// </summary>
internal static class CheckpointMetadataFormat
{
    private const string ChecksumPrefix = "sha256:";

    public static byte[] Encode(CheckpointMetadata metadata)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(metadata, CheckpointMetadataJsonContext.Default.CheckpointMetadata);
        var trailer = Encoding.ASCII.GetBytes($"\n{ChecksumPrefix}{Sha256Hex(payload)}\n");
        return [.. payload, .. trailer];
    }

    /// <summary>Checks and parses; throws <see cref="CorruptCheckpointException"/> naming <paramref name="location"/>.</summary>
    public static CheckpointMetadata Decode(ReadOnlySpan<byte> bytes, string location)
    {
        if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
        {
            throw new CorruptCheckpointException(location, $"_metadata is truncated ({bytes.Length} bytes, no checksum line at its end)");
        }

        var body = bytes[..^1];
        var split = body.LastIndexOf((byte)'\n');
        if (split < 0)
        {
            throw new CorruptCheckpointException(location, "_metadata has no checksum line");
        }

        var payload = body[..split];
        var checksumLine = Encoding.ASCII.GetString(body[(split + 1)..]);
        if (!checksumLine.StartsWith(ChecksumPrefix, StringComparison.Ordinal))
        {
            throw new CorruptCheckpointException(location, "_metadata's last line is not a sha256 checksum");
        }

        var actual = Sha256Hex(payload);
        if (!string.Equals(checksumLine[ChecksumPrefix.Length..], actual, StringComparison.Ordinal))
        {
            throw new CorruptCheckpointException(location, $"_metadata checksum mismatch (recorded {checksumLine[ChecksumPrefix.Length..]}, content hashes to {actual})");
        }

        CheckpointMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize(payload, CheckpointMetadataJsonContext.Default.CheckpointMetadata);
        }
        catch (JsonException e)
        {
            throw new CorruptCheckpointException(location, $"_metadata is not valid checkpoint metadata: {e.Message}", e);
        }

        if (metadata is null)
        {
            throw new CorruptCheckpointException(location, "_metadata is empty");
        }

        if (metadata.Version != CheckpointMetadata.CurrentVersion)
        {
            throw new CorruptCheckpointException(
                location, $"_metadata has format version {metadata.Version}; this build reads version {CheckpointMetadata.CurrentVersion}");
        }

        return metadata;
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
