using Etl.Pipeline;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The open transaction of one epoch: rows not yet sent to the server, and whether the server transaction
/// has begun. Nothing is begun on the server until the first batch is sent, so an empty epoch costs nothing.
/// </summary>
internal sealed class PostgresEpoch<T>
{
    public List<T> Rows { get; private set; } = [];

    public List<DeadLetter> DeadLetters { get; private set; } = [];

    public bool Begun { get; set; }

    public long RowsWritten { get; set; }

    public long DeadLettersWritten { get; set; }

    /// <summary>The rows went to the staging table (sent while an earlier epoch was pending).</summary>
    public bool Staged { get; set; }

    /// <summary>The checkpoint of the barrier before this epoch (the restored one, or 0, for the first epoch since the sink opened).</summary>
    public long AfterCheckpoint { get; init; }

    /// <summary>An upsert batch's COPY hit an existing key: the rest of the epoch upserts directly.</summary>
    public bool UpsertsOnly { get; set; }

    /// <summary>Upsert batches written by COPY inside a released savepoint (each one a subtransaction).</summary>
    public int CopiedBatches { get; set; }

    /// <summary>
    /// Hands the buffered rows and dead letters to a flush that runs on; the epoch buffers into <paramref name="spareRows"/>
    /// (an empty list whose flush has finished, so a large buffer is not allocated again per flush) or a new list.
    /// </summary>
    public (List<T> Rows, List<DeadLetter> DeadLetters) TakeBuffered(List<T>? spareRows = null)
    {
        if (spareRows is { Count: > 0 })
        {
            throw new InvalidOperationException("A spare row buffer must be empty.");
        }

        var taken = (Rows, DeadLetters);
        Rows = spareRows ?? new List<T>(Rows.Count);
        DeadLetters = [];
        return taken;
    }
}
