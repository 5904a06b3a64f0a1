namespace Etl.Tests.Integration.Sink;

/// <summary>A row of the test target table: key and value.</summary>
internal sealed record ResultRow(long Id, long Value);
