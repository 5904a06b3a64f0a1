using Etl.Samples.OrderTotals.Demo;

namespace Etl.Bench;

/// <summary>
/// The benchmark's exactness check, after every backlog run: the totals table and the dead letters against the totals
/// computed from the regenerated backlog (<see cref="OrderTotalsCheck"/>, the demo's check). A run that lost or
/// duplicated anything fails the benchmark: its speed would mean nothing.
/// </summary>
internal static class EndToEndExactness
{
    public static async Task<CheckReport> CheckAsync(
        OrderStreamOptions backlog, EndToEndJob options, int partitions, CancellationToken cancellationToken)
    {
        var input = OrderStream.Generate(backlog);
        var table = await OrderTotalsReader.TotalsAsync(options.Postgres.ConnectionString, options.Postgres.Table, cancellationToken);
        var deadLetters = await OrderTotalsReader.DeadLettersAsync(options.Postgres.ConnectionString, options.Postgres.SinkSchema, options.JobName, cancellationToken);
        var prepared = await OrderTotalsReader.PreparedTransactionsAsync(options.Postgres.ConnectionString, options.JobName, cancellationToken);
        var report = OrderTotalsCheck.Run(input, options.Settings.Window, partitions, table, deadLetters);
        if (!report.IsExact || prepared.Count > 0)
        {
            throw new InvalidOperationException(
                $"{report.Summary}, {prepared.Count} prepared transactions left: the run was not exact. " +
                string.Join("; ", report.Problems.Take(5)));
        }

        return report;
    }
}
