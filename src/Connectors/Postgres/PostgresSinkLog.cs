using Microsoft.Extensions.Logging;

namespace Etl.Connectors.Postgres;

internal static partial class PostgresSinkLog
{
    [LoggerMessage(EventId = 100, EventName = "SinkOpened", Level = LogLevel.Information,
        Message = "PostgreSQL sink {Job}/{Sink}[{Subtask}] opened (max_prepared_transactions = {MaxPrepared})")]
    public static partial void Opened(ILogger logger, string job, string sink, int subtask, int maxPrepared);

    [LoggerMessage(EventId = 101, EventName = "TransactionPrepared", Level = LogLevel.Debug,
        Message = "Prepared {Gid} with {Rows} rows and {DeadLetters} dead letters")]
    public static partial void Prepared(ILogger logger, string gid, long rows, long deadLetters);

    [LoggerMessage(EventId = 102, EventName = "TransactionAlreadyCommitted", Level = LogLevel.Information,
        Message = "{Gid} is no longer prepared and its commit marker exists: it was committed before")]
    public static partial void AlreadyCommitted(ILogger logger, string gid);

    [LoggerMessage(EventId = 103, EventName = "LingeringTransactionRolledBack", Level = LogLevel.Warning,
        Message = "Rolled back lingering prepared transaction {Gid}: it is newer than the restored checkpoint and its input will be replayed")]
    public static partial void RolledBackLingering(ILogger logger, string gid);

    [LoggerMessage(EventId = 104, EventName = "RowsHeldForPendingCommit", Level = LogLevel.Debug,
        Message = "Holding {Rows} rows of the open epoch in memory until {Pending} pending transactions commit")]
    public static partial void Holding(ILogger logger, int rows, int pending);

    [LoggerMessage(EventId = 105, EventName = "UpsertCopyFellBack", Level = LogLevel.Debug,
        Message = "PostgreSQL sink {Job}/{Sink}[{Subtask}]: COPY of {Rows} rows into {Table} hit an existing key in the epoch after checkpoint {AfterCheckpoint} " +
            "({Written} rows written before it); rolled back to the savepoint and upserted them, the rest of this epoch upserts")]
    public static partial void CopyFellBack(ILogger logger, string job, string sink, int subtask, int rows, string table, long afterCheckpoint, long written);

    [LoggerMessage(EventId = 106, EventName = "AbortedEpochFlushFailed", Level = LogLevel.Debug,
        Message = "A background flush of an aborted epoch failed; its transaction is rolled back")]
    public static partial void AbortedEpochFlushFailed(ILogger logger, Exception error);
}
