namespace Etl.Samples.OrderTotals.Configuration;

/// <summary>Etl:Postgres.</summary>
internal sealed record PostgresSettings
{
    public string ConnectionString { get; init; } = "";

    /// <summary>The results table, schema-qualified by default so it does not depend on the search path; created if missing.</summary>
    public string Table { get; init; } = "public.order_totals";

    /// <summary>Schema of the sink's own tables (commit markers, dead letters).</summary>
    public string SinkSchema { get; init; } = "etl";

    public int BatchSize { get; init; } = 10_000;
}
