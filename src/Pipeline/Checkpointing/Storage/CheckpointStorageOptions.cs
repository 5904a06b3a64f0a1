namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>Settings of <see cref="FileSystemCheckpointStorage"/> (Flink's <c>state.checkpoints.*</c> and <c>state.savepoints.dir</c>).</summary>
/// <param name="CheckpointDirectory">Where checkpoints live: <c>&lt;dir&gt;/&lt;job&gt;/chk-&lt;n&gt;</c>. A path or a <c>file://</c> URI.</param>
/// <param name="SavepointDirectory">
/// Where savepoints live: <c>&lt;dir&gt;/&lt;job&gt;/savepoint-&lt;n&gt;-&lt;suffix&gt;</c>. Null: savepoints cannot be taken.
/// </param>
/// <param name="NumRetained">How many completed checkpoints per job to keep (default 3).</param>
/// <param name="Retention">Whether cancelling a job deletes its checkpoints (default: retain).</param>
public sealed record CheckpointStorageOptions(
    string CheckpointDirectory,
    string? SavepointDirectory = null,
    int NumRetained = CheckpointStorageOptions.DefaultNumRetained,
    CheckpointRetention Retention = CheckpointRetention.RetainOnCancellation)
{
    public const int DefaultNumRetained = 3;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        ValidateDirectory(CheckpointDirectory, nameof(CheckpointDirectory), required: true);
        ValidateDirectory(SavepointDirectory, nameof(SavepointDirectory), required: false);
        CheckpointRetentionRules.Validate(nameof(CheckpointStorageOptions), NumRetained, Retention);
    }

    /// <summary>A path or <c>file://</c> URI as an absolute local path.</summary>
    internal static string ToLocalPath(string pathOrUri)
    {
        if (pathOrUri.StartsWith("file:", StringComparison.OrdinalIgnoreCase) &&
            Uri.TryCreate(pathOrUri, UriKind.Absolute, out var uri) && uri.IsFile)
        {
            return Path.GetFullPath(uri.LocalPath);
        }

        return Path.GetFullPath(pathOrUri);
    }

    private static void ValidateDirectory(string? value, string setting, bool required)
    {
        if (value is null && !required)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{nameof(CheckpointStorageOptions)}.{setting} must name a directory.", setting);
        }

        if (value.Contains("://", StringComparison.Ordinal) && !value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                $"{nameof(CheckpointStorageOptions)}.{setting} '{value}' uses a scheme this storage cannot write; use a local path or a file:// URI.",
                setting);
        }

        try
        {
            _ = ToLocalPath(value);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or UriFormatException)
        {
            throw new ArgumentException($"{nameof(CheckpointStorageOptions)}.{setting} '{value}' is not a valid path: {e.Message}", setting, e);
        }
    }
}
