using Etl.CheckpointStorage.S3;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.CheckpointStorage;

/// <summary>
/// Builds the checkpoint storage a directory names, by its scheme: a local path or <c>file://</c>
/// (<see cref="FileSystemCheckpointStorage"/>), <c>s3://bucket/prefix</c> (S3 or an S3-compatible store),
/// <c>hdfs://nameservice/path</c> (WebHDFS on an HA namenode pair). Settings are validated here, with messages that
/// name them. The storage returned is <see cref="IDisposable"/>.
/// </summary>
public static class CheckpointStorageFactory
{
    public static ICheckpointStorage Create(
        CheckpointStorageOptions options,
        S3StorageOptions? s3 = null,
        WebHdfsStorageOptions? hdfs = null,
        ILoggerFactory? loggerFactory = null,
        IFaultInjector? faults = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        var directory = options.CheckpointDirectory ?? "";
        var savepointSetting = $"{nameof(CheckpointStorageOptions)}.{nameof(CheckpointStorageOptions.SavepointDirectory)}";
        if (S3Location.TryParse(directory, out var bucket))
        {
            s3 ??= new S3StorageOptions();
            s3.Validate();
            ValidateRetention(options);
            var savepoints = SameStore(options.SavepointDirectory, bucket.Bucket, b => S3Location.TryParse(b, out var l) ? (l.Bucket, l.Prefix) : null, savepointSetting);
            var logger = loggerFactory.CreateLogger<S3StorageOptions>();
            return new ObjectStoreCheckpointStorage(
                new S3ObjectStore(bucket.Bucket, s3, logger), bucket.Prefix, savepoints, savepointSetting, options.NumRetained, options.Retention, logger, faults);
        }

        if (directory.StartsWith("hdfs:", StringComparison.OrdinalIgnoreCase))
        {
            var (nameservice, root) = ParseHdfs(directory)
                ?? throw new ArgumentException(
                    $"{nameof(CheckpointStorageOptions)}.{nameof(CheckpointStorageOptions.CheckpointDirectory)} '{directory}' is not hdfs://nameservice/path (a nameservice of dfs.nameservices, no port).",
                    nameof(options));
            hdfs ??= new WebHdfsStorageOptions();
            hdfs.Validate();
            ValidateRetention(options);
            var savepoints = SameStore(options.SavepointDirectory, nameservice, ParseHdfs, savepointSetting);
            var logger = loggerFactory.CreateLogger<WebHdfsStorageOptions>();
            var client = new WebHdfsClient(HdfsNameservice.Resolve(nameservice, hdfs), hdfs, logger);
            return new ObjectStoreCheckpointStorage(
                new WebHdfsObjectStore(nameservice, client), root, savepoints, savepointSetting, options.NumRetained, options.Retention, logger, faults);
        }

        if (directory.StartsWith("s3", StringComparison.OrdinalIgnoreCase) && directory.Contains("://", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{nameof(CheckpointStorageOptions)}.{nameof(CheckpointStorageOptions.CheckpointDirectory)} '{directory}' is not s3://bucket/prefix " +
                "(s3:// only; bucket names are 3-63 lower-case letters, digits, '-' and '.').",
                nameof(options));
        }

        return new FileSystemCheckpointStorage(options, loggerFactory.CreateLogger<FileSystemCheckpointStorage>(), faults);
    }

    private static void ValidateRetention(CheckpointStorageOptions options)
    {
        if (options.NumRetained < 1)
        {
            throw new ArgumentException($"{nameof(CheckpointStorageOptions)}.NumRetained must be at least 1, was {options.NumRetained}.", nameof(options));
        }

        if (!Enum.IsDefined(options.Retention))
        {
            throw new ArgumentException($"{nameof(CheckpointStorageOptions)}.Retention is not a known retention: {options.Retention}.", nameof(options));
        }
    }

    /// <summary>The savepoint root inside the same bucket or nameservice (savepoints are written by the same store).</summary>
    private static string? SameStore(string? savepointDirectory, string store, Func<string, (string Store, string Root)?> parse, string setting)
    {
        if (savepointDirectory is null)
        {
            return null;
        }

        var parsed = parse(savepointDirectory);
        if (parsed is not { } p || p.Store != store)
        {
            throw new ArgumentException(
                $"{setting} '{savepointDirectory}' must be in the same store as the checkpoint directory ({store}); savepoints are written by the same storage.",
                nameof(savepointDirectory));
        }

        return p.Root;
    }

    /// <summary><c>hdfs://nameservice/path</c>: no port (a nameservice, not a host), no query.</summary>
    private static (string Nameservice, string Root)? ParseHdfs(string value)
    {
        const string prefix = "hdfs://";
        if (!value.StartsWith(prefix, StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal))
        {
            return null;
        }

        var rest = value[prefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var nameservice = slash < 0 ? rest : rest[..slash];
        if (nameservice.Length == 0 || nameservice.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_')))
        {
            return null;
        }

        return (nameservice, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }
}
