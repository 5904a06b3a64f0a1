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
/// notification that commits them. Only the barrier forces a flush; then the writer's lock timeout turns a
/// would-be deadlock (an aborted checkpoint whose transaction overlaps the next epoch) into a failed epoch
/// that recovery repairs.
/// </remarks>
internal sealed class PostgresSinkParticipant<T>(PostgresSinkOptions<T> options, ILoggerFactory? loggerFactory)
    : ITwoPhaseCommitParticipant<PostgresEpoch<T>, T>
{
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private ILogger _logger = NullLogger.Instance;
    private PostgresSinkTables? _tables;
    private PreparedTransactionCommitter? _committer;
    private PostgresEpochWriter<T>? _writer;
    private int _subtask;

    public async ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        PostgresSinkOptionsValidation.Validate(options);
        _logger = (loggerFactory ?? context.LoggerFactory).CreateLogger("Etl.Connectors.Postgres.PostgresSink");
        _subtask = context.SubtaskIndex;
        _tables = new PostgresSinkTables(options.Schema);
        _committer = await PreparedTransactionCommitter.OpenAsync(
            options.ConnectionString, _tables, options.JobName, options.SinkUid, _subtask, _logger, cancellationToken);
        _writer = await PostgresEpochWriter<T>.OpenAsync(options, _tables, cancellationToken);
    }

    public ValueTask<PostgresEpoch<T>> BeginAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new PostgresEpoch<T>());

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
        var writer = Writer;
        await writer.FlushAsync(transaction, options.BatchSize, cancellationToken);
        if (!transaction.Begun)
        {
            return null;
        }

        var gid = new TransactionGid(options.JobName, options.SinkUid, _subtask, checkpointId.Value);
        await writer.PrepareAsync(gid, cancellationToken);
        transaction.Begun = false;
        var id = gid.ToString();
        _pending.Add(id);
        PostgresSinkLog.Prepared(_logger, id, transaction.RowsWritten, transaction.DeadLettersWritten);
        return id;
    }

    public async ValueTask CommitAsync(PendingTransaction transaction, CancellationToken cancellationToken)
    {
        await Committer.CommitAsync(transaction.Handle, cancellationToken);
        _pending.Remove(transaction.Handle);
    }

    public async ValueTask AbortAsync(PostgresEpoch<T> transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_writer is not null)
        {
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
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the writer rolls back an unprepared transaction; closing the control connection releases
        // the advisory lock. Prepared transactions survive both, as they must.
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        if (_committer is not null)
        {
            await _committer.DisposeAsync();
        }
    }

    private PostgresEpochWriter<T> Writer => _writer ?? throw new InvalidOperationException("The PostgreSQL sink is not open.");

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
            await Writer.FlushAsync(epoch, options.BatchSize, cancellationToken);
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
}
