namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// The retention rules every checkpoint storage shares: its settings, validated with messages that name the options
/// record, and which completed checkpoints retention removes. Savepoints are never among them.
/// </summary>
internal static class CheckpointRetentionRules
{
    /// <summary>
    /// The completed checkpoints (never savepoints) that retention removes: all but the newest <paramref name="numRetained"/>
    /// of <paramref name="completedCheckpointIds"/>, oldest first.
    /// </summary>
    public static IReadOnlyList<long> Subsumed(IEnumerable<long> completedCheckpointIds, int numRetained)
    {
        var ids = completedCheckpointIds.Distinct().Order().ToList();
        return ids[..Math.Max(0, ids.Count - numRetained)];
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2208", Justification = "ParamName is the setting of the caller's options record, as it was before this check was shared.")]
    public static void Validate(string optionsName, int numRetained, CheckpointRetention retention)
    {
        if (numRetained < 1)
        {
            throw new ArgumentException(
                $"{optionsName}.NumRetained must be at least 1, was {numRetained}.",
                "NumRetained");
        }

        if (!Enum.IsDefined(retention))
        {
            throw new ArgumentException(
                $"{optionsName}.Retention is not a known retention: {retention}.",
                "Retention");
        }
    }
}
