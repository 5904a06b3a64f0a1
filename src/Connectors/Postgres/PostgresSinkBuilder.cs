using Etl.Pipeline;
using Etl.Pipeline.Graph;
using Microsoft.Extensions.Logging;
using NpgsqlTypes;

namespace Etl.Connectors.Postgres;

/// <summary>
/// Builds the exactly-once PostgreSQL sink: the table mapping (<see cref="PostgresTableMapping{T}"/>), insert or upsert,
/// deletes for retracted keys, and the sink's settings (<see cref="PostgresSinkOptions{T}"/>). The job name and the sink's
/// uid, which name its transactions, come from the job. Pass <see cref="Create"/> to <c>SinkTo</c>:
/// <code>
/// var totals = new PostgresSinkBuilder&lt;WindowResult&lt;string, decimal&gt;&gt;(connectionString, "public.totals")
///     .Column("customer_id", NpgsqlDbType.Text, r =&gt; r.Key)
///     .TimestampColumn("window_start", r =&gt; r.WindowStart)
///     .Column("total", NpgsqlDbType.Numeric, r =&gt; r.Value)
///     .UpsertOn("customer_id", "window_start").DeleteWhen(r =&gt; r.IsRetraction);
/// stream.SinkTo("totals-sink", totals.Create);
/// </code>
/// Dead letters that reach the sink in-band are written to <c>&lt;schema&gt;.dead_letters</c> in the same transaction as the rows.
/// </summary>
public sealed class PostgresSinkBuilder<T>
{
    private readonly string _connectionString;
    private readonly string _table;
    private readonly List<PostgresColumn<T>> _columns = [];
    private PostgresWriteMode _mode = PostgresWriteMode.Insert;
    private IReadOnlyList<string>? _keyColumns;
    private Func<T, bool>? _deletes;
    private Func<PostgresSinkOptions<T>, PostgresSinkOptions<T>> _configure = o => o;
    private ILoggerFactory? _loggerFactory;

    /// <param name="connectionString">Npgsql connection string; the server needs <c>max_prepared_transactions</c> &gt; 0.</param>
    /// <param name="table">The target table, optionally schema-qualified; it must exist.</param>
    public PostgresSinkBuilder(string connectionString, string table)
    {
        _connectionString = connectionString;
        _table = table;
    }

    /// <summary>Maps column <paramref name="name"/> of type <paramref name="type"/> to <paramref name="value"/>(record).</summary>
    public PostgresSinkBuilder<T> Column<TValue>(string name, NpgsqlDbType type, Func<T, TValue> value)
    {
        _columns.Add(PostgresColumn.Of(name, type, value));
        return this;
    }

    /// <summary>Maps a <c>timestamptz</c> column to an event time in Unix milliseconds (a window start or end, say).</summary>
    public PostgresSinkBuilder<T> TimestampColumn(string name, Func<T, long> unixMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(unixMilliseconds);
        return Column(name, NpgsqlDbType.TimestampTz, r => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds(r)).UtcDateTime);
    }

    /// <summary>Plain inserts (binary COPY), for rows written once (the default).</summary>
    public PostgresSinkBuilder<T> Insert()
    {
        _mode = PostgresWriteMode.Insert;
        _keyColumns = null;
        return this;
    }

    /// <summary>Upserts by the unique key <paramref name="keyColumns"/>: the last write of a key wins, so re-firings and replays are safe.</summary>
    public PostgresSinkBuilder<T> UpsertOn(params string[] keyColumns)
    {
        _mode = PostgresWriteMode.Upsert;
        _keyColumns = [.. keyColumns];
        return this;
    }

    /// <summary>Upsert only: a record for which <paramref name="retracts"/> is true deletes the row of its key (a retracted window result).</summary>
    public PostgresSinkBuilder<T> DeleteWhen(Func<T, bool> retracts)
    {
        _deletes = retracts ?? throw new ArgumentNullException(nameof(retracts));
        return this;
    }

    /// <summary>Any other setting of <see cref="PostgresSinkOptions{T}"/> (batch size, sink schema, lock timeout, ...).</summary>
    public PostgresSinkBuilder<T> Options(Func<PostgresSinkOptions<T>, PostgresSinkOptions<T>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var previous = _configure;
        _configure = o => configure(previous(o));
        return this;
    }

    /// <summary>Where the sink logs; default: the job's logger factory.</summary>
    public PostgresSinkBuilder<T> Logging(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>The options of the sink <paramref name="sinkUid"/> of job <paramref name="jobName"/>, validated.</summary>
    /// <exception cref="ArgumentException">A setting is bad; the message names it.</exception>
    public PostgresSinkOptions<T> BuildOptions(string jobName, string sinkUid)
    {
        var mapping = new PostgresTableMapping<T>(_table, [.. _columns], _mode, _keyColumns, _deletes);
        var options = _configure(new PostgresSinkOptions<T>(_connectionString, jobName, sinkUid, mapping));
        PostgresSinkOptionsValidation.Validate(options);
        return options;
    }

    /// <summary>The sink of one subtask: pass this method to <c>SinkTo</c>.</summary>
    public ISink<T> Create(SubtaskInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return PostgresSink.Create(BuildOptions(info.JobName, info.OperatorId), _loggerFactory);
    }
}
