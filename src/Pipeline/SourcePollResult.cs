namespace Etl.Pipeline;

/// <summary>What a poll found.</summary>
public enum SourcePollResult
{
    /// <summary>Records were emitted, or may be available right away: poll again.</summary>
    MoreAvailable,

    /// <summary>Nothing was available within the poll's wait; polling again is fine.</summary>
    NothingAvailable,

    /// <summary>A bounded source is exhausted; the runtime takes a final checkpoint and finishes.</summary>
    EndOfInput,
}
