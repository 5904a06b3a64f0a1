namespace Etl.Connectors.Postgres;

/// <summary>A column value as a dictionary key: record-struct equality also copes with null.</summary>
internal readonly record struct ColumnValue<TValue>(TValue Value);
