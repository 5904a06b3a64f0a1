using System.Globalization;
using Etl.Pipeline;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>
/// The writer connection: one server transaction per epoch, batches of rows (binary COPY for inserts; for
/// upserts COPY first inside a savepoint, and <c>INSERT .. SELECT FROM unnest(..) ON CONFLICT .. DO UPDATE</c>
/// when that COPY hits an existing key), dead letters, the commit marker and PREPARE TRANSACTION. Never
/// retries a statement: a failure fails the epoch (the one rewrite is a COPY refused by a unique violation).
/// </summary>
/// <remarks>
/// Nothing is ever written outside the epoch's transaction, by construction: the session is read-only by default
/// (<c>default_transaction_read_only</c>) and only the epoch's <c>BEGIN READ WRITE</c> can write, so a statement
/// that PostgreSQL runs outside that transaction (after a failed PREPARE rolled it back) is refused by the server
/// instead of autocommitting. A failed statement fails the epoch and this writer for good: every later flush or
/// prepare throws, only rollback and dispose remain. PREPARE's "there is no transaction in progress" is a warning
/// and a PREPARE of an aborted transaction is a silent ROLLBACK, so a PREPARE counts only once the gid is in
/// <c>pg_prepared_xacts</c>.
/// </remarks>
internal sealed class PostgresEpochWriter<T>(
    NpgsqlConnection connection, PostgresTableMapping<T> table, PostgresSinkTables tables, StagedEpochs<T> staging,
    string job, string sink, int subtask, ILogger logger)
    : IAsyncDisposable
{
    private const string CopySavepoint = "etl_copy";

    // A released savepoint's subtransaction stays in the backend's cache of 64 subtransaction ids until the
    // epoch ends; past that the cache overflows, and every other session's snapshot pays for it while the
    // epoch is open or prepared. Past this many COPY statements (one per flush) an epoch upserts, as it did before COPY-first.
    internal const int MaxCopiedBatches = 48;

    private readonly string _copySql =
        $"COPY {table.Table} ({string.Join(", ", table.Columns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)";

    private readonly string _upsertSql = UpsertSql(table);

    private readonly string _deleteSql = DeleteSql(table);

    private readonly KeyedBatch<T> _keyed = new(table);

    // Every column's encoder when the sink encodes all of them itself, else null (Npgsql's importer writes the rows).
    private readonly Action<BinaryCopyRows, T>[]? _encoders =
        table.Columns.All(c => c.Encoder is not null) ? [.. table.Columns.Select(c => c.Encoder!)] : null;

    private Exception? _failure;

    public static async Task<PostgresEpochWriter<T>> OpenAsync(
        PostgresSinkOptions<T> options, PostgresSinkTables tables, StagedEpochs<T> staging, int subtask, ILogger logger,
        CancellationToken cancellationToken)
    {
        // Unpooled: closing must end the session, which rolls back an unprepared transaction at once.
        var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var timeout = ((long)options.LockTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            if (options.Table.Mode == PostgresWriteMode.Upsert)
            {
                await UpsertKeyCheck.EnsureAsync(connection, options.Table, cancellationToken);
            }

            await using var command = new NpgsqlCommand($"SET lock_timeout = {timeout}; SET default_transaction_read_only = on", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new PostgresEpochWriter<T>(connection, options.Table, tables, staging, options.JobName, options.SinkUid, subtask, logger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends the epoch's buffered rows and dead letters, at most <paramref name="batchSize"/> rows per statement except an
    /// upsert's COPY, which sends the whole flush; into the staging table as checkpoint <paramref name="stageAs"/> when given.
    /// </summary>
    public Task FlushAsync(PostgresEpoch<T> epoch, int batchSize, TransactionGid? stageAs, CancellationToken cancellationToken) =>
        FlushAsync(epoch, epoch.Rows, epoch.DeadLetters, batchSize, stageAs, cancellationToken);

    /// <summary>
    /// Sends <paramref name="rows"/> and <paramref name="deadLetters"/> (taken from <paramref name="epoch"/>) in its
    /// transaction, then empties both lists; the epoch's counters and flags are updated as they are sent.
    /// </summary>
    public async Task FlushAsync(
        PostgresEpoch<T> epoch, List<T> rows, List<DeadLetter> deadLetters, int batchSize, TransactionGid? stageAs, CancellationToken cancellationToken)
    {
        if (rows.Count == 0 && deadLetters.Count == 0)
        {
            return;
        }

        ThrowIfFailed();
        try
        {
            await SendAsync(epoch, rows, deadLetters, batchSize, stageAs, cancellationToken);
        }
        catch (Exception e)
        {
            _failure ??= e;
            throw;
        }
    }

    /// <summary>Writes the commit marker and prepares the epoch's transaction as <paramref name="gid"/>.</summary>
    public async Task PrepareAsync(PostgresEpoch<T> epoch, TransactionGid gid, CancellationToken cancellationToken)
    {
        ThrowIfFailed();
        if (!epoch.Begun)
        {
            throw new InvalidOperationException($"Epoch {gid} has no open transaction to prepare.");
        }

        try
        {
            await PrepareBegunAsync(gid, cancellationToken);
        }
        catch (Exception e)
        {
            // Begun stays set, so the abort still sends ROLLBACK (a no-op if the failed PREPARE ended the transaction).
            _failure ??= e;
            throw;
        }

        epoch.Begun = false;
    }

    private async Task SendAsync(
        PostgresEpoch<T> epoch, List<T> rows, List<DeadLetter> deadLetters, int batchSize, TransactionGid? stageAs, CancellationToken cancellationToken)
    {
        if (!epoch.Begun)
        {
            await ExecuteAsync("BEGIN READ WRITE", cancellationToken);
            epoch.Begun = true;
        }

        if (stageAs is null && table.Mode == PostgresWriteMode.Upsert)
        {
            // The whole flush at once: one row per key (the deletes and the upserts touch different keys, so their order
            // does not matter), and one COPY, so an epoch's savepoints count flushes, not BatchSize chunks of them.
            var (upserts, deletes) = _keyed.LastPerKeySplit(rows);
            await InChunksAsync(deletes, batchSize, chunk => DeleteAsync(chunk, cancellationToken));

            if (upserts.Count > 0)
            {
                await UpsertCopyFirstAsync(epoch, upserts, batchSize, cancellationToken);
            }

            epoch.RowsWritten += rows.Count;
        }
        else
        {
            for (var start = 0; start < rows.Count; start += batchSize)
            {
                var batch = Chunk(rows, start, batchSize);
                if (stageAs is { } gid)
                {
                    await staging.WriteAsync(connection, batch, gid.Subtask, gid.CheckpointId, epoch.RowsWritten, cancellationToken);
                    epoch.Staged = true;
                }
                else
                {
                    await CopyAsync(batch, cancellationToken);
                }

                epoch.RowsWritten += batch.Count;
            }
        }

        rows.Clear();
        if (deadLetters.Count > 0)
        {
            await WriteDeadLettersAsync(deadLetters, cancellationToken);
            epoch.DeadLettersWritten += deadLetters.Count;
            deadLetters.Clear();
        }
    }

    private async Task PrepareBegunAsync(TransactionGid gid, CancellationToken cancellationToken)
    {
        var id = gid.ToString();
        await using (var marker = new NpgsqlCommand(
            $"INSERT INTO {tables.Markers} (gid, job, sink, subtask, checkpoint_id) VALUES (@gid, @job, @sink, @subtask, @checkpoint)",
            connection))
        {
            marker.Parameters.AddWithValue("gid", id);
            marker.Parameters.AddWithValue("job", gid.Job);
            marker.Parameters.AddWithValue("sink", gid.Sink);
            marker.Parameters.AddWithValue("subtask", gid.Subtask);
            marker.Parameters.AddWithValue("checkpoint", gid.CheckpointId);
            await marker.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync($"PREPARE TRANSACTION '{id}'", cancellationToken);
        await using var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_prepared_xacts WHERE gid = @gid)", connection);
        check.Parameters.AddWithValue("gid", id);
        if (await check.ExecuteScalarAsync(cancellationToken) is not true)
        {
            throw new InvalidOperationException(
                $"PREPARE TRANSACTION '{id}' prepared nothing: PostgreSQL had no open transaction for the epoch (it was rolled " +
                "back after an earlier error). The epoch is lost; the job must restart from its last completed checkpoint.");
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new InvalidOperationException(
                $"The sink's writer connection failed an epoch earlier ({failure.Message}) and writes nothing more; the job must " +
                "restart from its last completed checkpoint.", failure);
        }
    }

    /// <summary>Rolls back the epoch's server transaction, if it began.</summary>
    public async Task RollbackAsync(PostgresEpoch<T> epoch, CancellationToken cancellationToken)
    {
        if (epoch.Begun && connection.State == System.Data.ConnectionState.Open)
        {
            await ExecuteAsync("ROLLBACK", cancellationToken);
        }

        epoch.Begun = false;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    private static string UpsertSql(PostgresTableMapping<T> table)
    {
        var columns = string.Join(", ", table.Columns.Select(c => c.Name));
        var parameters = string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"));
        // The batch holds each key once (KeyedBatch), as ON CONFLICT requires.
        return $"INSERT INTO {table.Table} ({columns}) SELECT * FROM unnest({parameters}) {UpsertClause.Of(table)}";
    }

    private static string DeleteSql(PostgresTableMapping<T> table)
    {
        var keys = table.KeyColumns ?? [];
        var parameters = string.Join(", ", keys.Select((_, i) => $"@k{i}"));
        return $"DELETE FROM {table.Table} WHERE ({string.Join(", ", keys)}) IN (SELECT * FROM unnest({parameters}))";
    }

    private async Task DeleteAsync(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_deleteSql, connection);
        var keys = table.KeyColumns ?? [];
        for (var k = 0; k < keys.Count; k++)
        {
            command.Parameters.Add(table.Columns.First(c => c.Name == keys[k]).ToArrayParameter($"k{k}", rows));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        PostgresSinkMetrics.Count(job, sink, PostgresSinkMetrics.DeletePath, rows.Count);
    }

    private async Task CopyAsync(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        if (_encoders is { } encoders)
        {
            await CopyEncodedAsync(rows, encoders, cancellationToken);
            return;
        }

        await using var importer = await connection.BeginBinaryImportAsync(_copySql, cancellationToken);
        var columns = table.Columns;
        foreach (var row in rows)
        {
            await importer.StartRowAsync(cancellationToken);
            for (var c = 0; c < columns.Count; c++)
            {
                await columns[c].WriteAsync(importer, row, cancellationToken);
            }
        }

        await importer.CompleteAsync(cancellationToken);
    }

    /// <summary>The rows encoded by the sink itself (<see cref="PostgresColumn{T}.Encoder"/>), sent through a raw binary COPY.</summary>
    private async Task CopyEncodedAsync(IReadOnlyList<T> rows, Action<BinaryCopyRows, T>[] encoders, CancellationToken cancellationToken)
    {
        using var encoded = new BinaryCopyRows();
        var copy = await connection.BeginRawBinaryCopyAsync(_copySql, cancellationToken);
        try
        {
            var fields = (short)encoders.Length;
            foreach (var row in rows)
            {
                encoded.StartRow(fields);
                foreach (var encode in encoders)
                {
                    encode(encoded, row);
                }

                if (encoded.Full)
                {
                    await copy.WriteAsync(encoded.Written, cancellationToken);
                    encoded.Clear();
                }
            }

            encoded.End();
            await copy.WriteAsync(encoded.Written, cancellationToken);
        }
        catch
        {
            // Disposing the stream would end the COPY and keep the rows sent so far: cancelling discards them.
            await CancelQuietlyAsync(copy);
            throw;
        }

        // Ends the COPY; a row the server refuses (a unique violation) throws here.
        await copy.DisposeAsync();
    }

    private static async Task CancelQuietlyAsync(NpgsqlRawCopyStream copy)
    {
        try
        {
            await copy.CancelAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // The write's own error is the one that matters; the epoch fails with it.
        }
    }

    /// <summary>
    /// Window results are almost always new keys, and COPY writes them about three times as fast as
    /// ON CONFLICT. A COPY that meets an existing key (late firing, rewind, replay, or an earlier batch of
    /// this epoch) fails with unique_violation and is undone to its savepoint; the same rows are then
    /// upserted, which gives exactly the pure upsert's result, and so does the rest of the epoch.
    /// </summary>
    private async Task UpsertCopyFirstAsync(PostgresEpoch<T> epoch, IReadOnlyList<T> rows, int batchSize, CancellationToken cancellationToken)
    {
        if (epoch.UpsertsOnly || epoch.CopiedBatches >= MaxCopiedBatches)
        {
            await UpsertInBatchesAsync(rows, batchSize, cancellationToken);
            PostgresSinkMetrics.Count(job, sink, PostgresSinkMetrics.UpsertPath, rows.Count);
            return;
        }

        await ExecuteAsync($"SAVEPOINT {CopySavepoint}", cancellationToken);
        try
        {
            await CopyAsync(rows, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Only a unique violation means "some keys exist"; anything else fails the epoch as before. A
            // violation of another unique index than the keys is raised again by the upsert, and fails it.
            await ExecuteAsync($"ROLLBACK TO SAVEPOINT {CopySavepoint}; RELEASE SAVEPOINT {CopySavepoint}", cancellationToken);
            epoch.UpsertsOnly = true;
            PostgresSinkLog.CopyFellBack(logger, job, sink, subtask, rows.Count, table.Table, epoch.AfterCheckpoint, epoch.RowsWritten);
            await UpsertInBatchesAsync(rows, batchSize, cancellationToken);
            PostgresSinkMetrics.Count(job, sink, PostgresSinkMetrics.FallbackPath, rows.Count);
            return;
        }

        await ExecuteAsync($"RELEASE SAVEPOINT {CopySavepoint}", cancellationToken);
        epoch.CopiedBatches++;
        PostgresSinkMetrics.Count(job, sink, PostgresSinkMetrics.CopyPath, rows.Count);
    }

    private static IReadOnlyList<T> Chunk(IReadOnlyList<T> rows, int start, int size) =>
        start == 0 && size >= rows.Count ? rows
        : rows is List<T> list ? list.GetRange(start, Math.Min(size, rows.Count - start))
        : [.. rows.Skip(start).Take(size)];

    /// <summary>Runs <paramref name="write"/> on <paramref name="rows"/>, at most <paramref name="size"/> rows per call (statement).</summary>
    private static async Task InChunksAsync(IReadOnlyList<T> rows, int size, Func<IReadOnlyList<T>, Task> write)
    {
        for (var start = 0; start < rows.Count; start += size)
        {
            await write(Chunk(rows, start, size));
        }
    }

    /// <summary>Upserts <paramref name="rows"/> (each key once), at most <paramref name="batchSize"/> per statement.</summary>
    private Task UpsertInBatchesAsync(IReadOnlyList<T> rows, int batchSize, CancellationToken cancellationToken) =>
        InChunksAsync(rows, batchSize, chunk => UpsertAsync(chunk, cancellationToken));

    private async Task UpsertAsync(IReadOnlyList<T> rows, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(_upsertSql, connection);
        for (var c = 0; c < table.Columns.Count; c++)
        {
            command.Parameters.Add(table.Columns[c].ToArrayParameter($"p{c}", rows));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Every text column goes through PostgresText.Safe and the time through Time: a dead letter is made of
    // input (an error text quotes the field it rejects, a Kafka timestamp is whatever the producer set), and one that
    // cannot be written would fail its epoch on every replay.
    private async Task WriteDeadLettersAsync(List<DeadLetter> deadLetters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {tables.DeadLetters} (job, sink, source_topic, source_partition, source_offset, key, raw_value, reason, error, event_time) " +
            "SELECT @job, @sink, * FROM unnest(@topic, @partition, @offset, @key, @value, @reason, @error, @time)",
            connection);
        command.Parameters.AddWithValue("job", job);
        command.Parameters.AddWithValue("sink", sink);
        command.Parameters.Add(new NpgsqlParameter<string?[]>("topic", NpgsqlDbType.Array | NpgsqlDbType.Text)
        { TypedValue = [.. deadLetters.Select(d => d.Source?.Topic is { } topic ? PostgresText.Safe(topic) : null)] });
        command.Parameters.Add(new NpgsqlParameter<int?[]>("partition", NpgsqlDbType.Array | NpgsqlDbType.Integer)
        { TypedValue = [.. deadLetters.Select(d => d.Source?.Partition)] });
        command.Parameters.Add(new NpgsqlParameter<long?[]>("offset", NpgsqlDbType.Array | NpgsqlDbType.Bigint)
        { TypedValue = [.. deadLetters.Select(d => d.Source?.Offset)] });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]>("key", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        { TypedValue = [.. deadLetters.Select(d => d.Key)] });
        command.Parameters.Add(new NpgsqlParameter<byte[]?[]>("value", NpgsqlDbType.Array | NpgsqlDbType.Bytea)
        { TypedValue = [.. deadLetters.Select(d => d.Value)] });
        command.Parameters.Add(new NpgsqlParameter<string[]>("reason", NpgsqlDbType.Array | NpgsqlDbType.Text)
        { TypedValue = [.. deadLetters.Select(d => PostgresText.Safe(d.Reason))] });
        command.Parameters.Add(new NpgsqlParameter<string[]>("error", NpgsqlDbType.Array | NpgsqlDbType.Text)
        { TypedValue = [.. deadLetters.Select(d => PostgresText.Safe(d.Error))] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]>("time", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
        { TypedValue = [.. deadLetters.Select(d => Time(d.Timestamp))] });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    // Clamped to 0001-01-01 .. 9999-12-31: a Kafka record timestamp is whatever the producer set, and
    // DateTimeOffset.FromUnixTimeMilliseconds throws outside that range.
    private static DateTime Time(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(
            Math.Clamp(unixMs, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())).UtcDateTime;

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
