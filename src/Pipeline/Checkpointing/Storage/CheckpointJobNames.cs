using System.Buffers;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Job names become directory names, so they are checked rather than sanitised: two names sanitised to the
/// same directory would share (and delete) each other's checkpoints.
/// </summary>
internal static class CheckpointJobNames
{
    private static readonly SearchValues<char> Forbidden = SearchValues.Create("/\\:*?\"<>|\0");

    public static void Validate(string jobName)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        if (jobName.Length == 0 || jobName.Length > 200 || jobName is "." or ".." || jobName.Trim() != jobName ||
            jobName.AsSpan().ContainsAny(Forbidden) || jobName.Any(char.IsControl))
        {
            throw new ArgumentException(
                $"Job name '{jobName}' cannot name a checkpoint directory: use 1 to 200 characters without path separators, " +
                "control characters, surrounding spaces or any of : * ? \" < > |.",
                nameof(jobName));
        }
    }
}
