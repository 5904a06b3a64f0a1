using Etl.Pipeline;
using Etl.TwoPhaseCommit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Connectors.Postgres;

/// <summary>
/// PostgreSQL as a two-phase-commit participant: one prepared transaction per epoch per subtask, gid
/// <c>etl:{job}:{sink}:{subtask}:{checkpointId}</c>, commits from a separate control connection.
/// </summary>
/// <remarks>
/// While any transaction is pending, the open epoch's rows stay in memory (up to
/// <see cref="PostgresSinkOptions{T}.MaxHeldRows"/>): they may touch rows the pending prepared transaction
/// holds locks on, and a writer blocked on those locks would keep the runtime from ever delivering the
/// notification that commits them. If the barrier comes while something is still pending (an aborted
/// checkpoint, a late notification), the epoch is written to the staging table instead, which no pending
/// transaction locks, and moved into the target right after it commits (<see cref="StagedEpochs{T}"/>).
/// </remarks>
internal sealed class PostgresSinkParticipant<T>(PostgresSinkOptions<T> options, ILoggerFactory? loggerFactory)
    : ITwoPhaseCommitParticipant<PostgresEpoch<T>, T>
{
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _staged = new(StringComparer.Ordinal);
    private ILogger _logger = NullLogger.Instance;
    private PreparedTransactionCommitter? _committer;
    private PostgresEpochWriter<T>? _writer;

    // The rows being sent while the next ones buffer: the writer connection runs one statement at a time, so at most
    // one flush is in flight, and everything else that uses that connection (the next flush, PREPARE, ROLLBACK)
    // awaits it first. Without it the sink waited for every COPY, and PostgreSQL's time and the job's added up.
    private Task? _inFlight;

    // The row list of the last background flush: emptied by the writer once sent, then the next buffer.
    private List<T>? _flushedRows;
    private StagedEpochs<T>? _staging;
    private int _subtask;
    private int _parallelism;
    private long _lastBarrier;

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        PostgresSinkOptionsValidation.Validate(options);
        _logger = (loggerFactory ?? context.LoggerFactory).CreateLogger("Etl.Connectors.Postgres.PostgresSink");
        _subtask = context.SubtaskIndex;
        _parallelism = context.Parallelism;
        _lastBarrier = context.Restored?.CheckpointId.Value ?? 0;
        var tables = new PostgresSinkTables(options.Schema, options.JobName, options.SinkUid);
        var staging = new StagedEpochs<T>(options.Table, tables);
        _staging = staging;
        _committer = await PreparedTransactionCommitter.OpenAsync(
            options.ConnectionString, tables, options.JobName, options.SinkUid, _subtask,
            connection => tables.CreateIfMissingAsync(
                connection, options.Table.Table, options.Table.Deletes is null ? null : options.Table.KeyColumns, cancellationToken),
            _logger, cancellationToken);
        _writer = await PostgresEpochWriter<T>.OpenAsync(options, tables, staging, _subtask, _logger, cancellationToken);
    }

    public ValueTask<PostgresEpoch<T>> BeginAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(new PostgresEpoch<T> { AfterCheckpoint = _lastBarrier });

    // An unprepared transaction dies with its session, so there is nothing to abort by name on restore.
    public string? DescribeOpen(PostgresEpoch<T> transaction) => null;

    public async ValueTask WriteAsync(PostgresEpoch<T> transaction, StreamRecord<T> record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Rows.Add(record.Value);
        await FlushIfFullAsync(transaction, cancellationToken);
    }

    public async ValueTask WriteDeadLetterAsync(PostgresEpoch<T> transaction, DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(deadLetter);
        transaction.DeadLetters.Add(deadLetter);
        await FlushIfFullAsync(transaction, cancellationToken);
    }

    public async ValueTask<string?> PreCommitAsync(PostgresEpoch<T> transaction, CheckpointId checkpointId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        // A failed background flush fails the epoch here at the latest: nothing is prepared unless every batch was written.
        await DrainAsync();
        var writer = Writer;
        var gid = new TransactionGid(options.JobName, options.SinkUid, _subtask, checkpointId.Value);
        _lastBarrier = checkpointId.Value;
        // With an earlier epoch still pending, rows sent now could wait forever on its locks: stage them.
        await writer.FlushAsync(transaction, options.BatchSize, _pending.Count > 0 ? gid : null, cancellationToken);
        if (!transaction.Begun)
        {
            return null;
        }

        await writer.PrepareAsync(transaction, gid, cancellationToken);
        var id = gid.ToString();
        _pending.Add(id);
        if (transaction.Staged)
        {
            _staged.Add(id);
        }

        PostgresSinkLog.Prepared(_logger, id, transaction.RowsWritten, transaction.DeadLettersWritten);
        return id;
    }

    public async ValueTask CommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        await Committer.CommitAsync(transaction.Handle, cancellationToken);
        if (_staged.Contains(transaction.Handle))
        {
            // Earlier epochs are committed (ascending order) and later ones are staged, so nothing this sink
            // has pending locks the target rows this moves.
            await Staging.ApplyAsync(Committer.Connection, _subtask, _parallelism, cancellationToken);
            _staged.Remove(transaction.Handle);
        }

        _pending.Remove(transaction.Handle);
    }

    public async ValueTask AbortAsync(PostgresEpoch<T> transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_writer is not null)
        {
            await DrainQuietlyAsync();
            await _writer.RollbackAsync(transaction, cancellationToken);
        }
    }

    public ValueTask RecoverAndCommitAsync(PendingTransaction transaction, CancellationToken cancellationToken) =>
        CommitAsync(transaction, cancellationToken);

    public ValueTask RecoverAndAbortAsync(string openTransaction, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask FinishRecoveryAsync(RecoveryScope recovery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        var keep = recovery.Committed.Select(c => c.Handle).ToHashSet(StringComparer.Ordinal);
        await Committer.RollbackLingeringAsync(
            options.JobName, options.SinkUid, recovery.Context.SubtaskIndex, recovery.Context.Parallelism, keep, cancellationToken);
        // Staged epochs that committed before a crash but were not moved yet; those rolled back just now are gone.
        await Staging.ApplyAsync(Committer.Connection, _subtask, _parallelism, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the writer rolls back an unprepared transaction; closing the control connection releases
        // the advisory lock. Prepared transactions survive both, as they must.
        if (_writer is not null)
        {
            await DrainQuietlyAsync();
            await _writer.DisposeAsync();
        }

        if (_committer is not null)
        {
            await _committer.DisposeAsync();
        }
    }

    private PostgresEpochWriter<T> Writer => _writer ?? throw new InvalidOperationException("The PostgreSQL sink is not open.");

    private StagedEpochs<T> Staging => _staging ?? throw new InvalidOperationException("The PostgreSQL sink is not open.");

    private PreparedTransactionCommitter Committer => _committer ?? throw new InvalidOperationException("The PostgreSQL sink is not open.");

    private async ValueTask FlushIfFullAsync(PostgresEpoch<T> epoch, CancellationToken cancellationToken)
    {
        var buffered = epoch.Rows.Count + epoch.DeadLetters.Count;
        if (buffered < options.BatchSize)
        {
            return;
        }

        if (_pending.Count == 0)
        {
            // While a flush is in flight, keep buffering (a window firing arrives as one burst, and waiting for
            // PostgreSQL here would stall the whole job behind it) up to MaxHeldRows; then wait for it.
            if (_inFlight is { IsCompleted: false } && buffered < options.MaxHeldRows)
            {
                return;
            }

            await DrainAsync();
            var (rows, deadLetters) = epoch.TakeBuffered(_flushedRows is { Count: 0 } spare ? spare : null);
            _flushedRows = rows;
            _inFlight = Writer.FlushAsync(epoch, rows, deadLetters, options.BatchSize, stageAs: null, cancellationToken);
            return;
        }

        if (buffered >= options.MaxHeldRows)
        {
            throw new InvalidOperationException(
                $"PostgreSQL sink {options.JobName}/{options.SinkUid}[{_subtask}] holds {buffered} rows while transactions " +
                $"{string.Join(", ", _pending)} wait for their checkpoint to complete. The commit notification is late: " +
                "check checkpoint completion, or raise PostgresSinkOptions.MaxHeldRows.");
        }

        if (buffered % options.BatchSize == 0)
        {
            PostgresSinkLog.Holding(_logger, buffered, _pending.Count);
        }
    }

    private async ValueTask DrainAsync()
    {
        if (_inFlight is { } flush)
        {
            _inFlight = null;
            await flush;
        }
    }

    // Abort and dispose end the epoch anyway: a failed background flush only needs to be finished, its error was or
    // will be reported by the write or barrier that awaits it, or is moot once the transaction rolls back.
    private async ValueTask DrainQuietlyAsync()
    {
        try
        {
            await DrainAsync();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or InvalidOperationException or OperationCanceledException or IOException)
        {
            PostgresSinkLog.AbortedEpochFlushFailed(_logger, e);
        }
    }
}
