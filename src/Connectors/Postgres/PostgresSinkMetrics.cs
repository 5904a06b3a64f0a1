using System.Diagnostics.Metrics;

namespace Etl.Connectors.Postgres;

/// <summary>Counters of the PostgreSQL sink on the "Etl" meter.</summary>
internal static class PostgresSinkMetrics
{
    public const string MeterName = "Etl";
    public const string UpsertRowsName = "etl.sink.upsert.rows";

    /// <summary>Tag values of <see cref="UpsertRows"/>'s <c>path</c>.</summary>
    public const string CopyPath = "copy";
    public const string FallbackPath = "fallback";
    public const string UpsertPath = "upsert";
    public const string DeletePath = "delete";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>
    /// Rows written in upsert mode, tagged job, sink and path: <c>copy</c> (binary COPY of new keys),
    /// <c>fallback</c> (a batch whose COPY hit an existing key, rolled back and upserted), <c>upsert</c>
    /// (upserted directly: the rest of an epoch after a fallback), <c>delete</c> (keys deleted, see
    /// <see cref="PostgresTableMapping{T}.Deletes"/>).
    /// </summary>
    public static Counter<long> UpsertRows { get; } = Meter.CreateCounter<long>(
        UpsertRowsName, unit: "{row}",
        description: "Rows the PostgreSQL sink wrote in upsert mode, by path: copy (new keys), fallback (COPY hit an existing key, then upserted), upsert, delete (keys deleted).");

    public static void Count(string job, string sink, string path, int rows) =>
        UpsertRows.Add(rows, new("job", job), new("sink", sink), new("path", path));
}
