namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>The retention settings every checkpoint storage shares, validated with messages that name the options record.</summary>
internal static class CheckpointRetentionRules
{
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
