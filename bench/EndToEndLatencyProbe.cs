using Npgsql;

namespace Etl.Bench;

/// <summary>
/// Polls the totals table every 20 ms and records when each window end first became visible (i.e. committed):
/// latency = first seen - window end - allowed lateness (0 here). Resolution: the poll period plus the query.
/// </summary>
internal sealed class EndToEndLatencyProbe(string connectionString, string table)
{
    private readonly List<double> _latenciesMs = [];

    public IReadOnlyList<double> LatenciesMs => _latenciesMs;

    /// <summary>
    /// An index on window_end (benchmark tables only, created before the job writes): without it every poll scans the
    /// growing table and the probe's own CPU would slow the job it measures.
    /// </summary>
    public static async Task IndexAsync(string connectionString, string table, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE INDEX IF NOT EXISTS {table.Split('.')[^1]}_window_end ON {table} (window_end)", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Counts only windows that end at or after <paramref name="from"/> (the backlog's windows are excluded).</summary>
    public async Task RunAsync(DateTime from, CancellationToken cancellationToken)
    {
        var last = from;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await using (var command = new NpgsqlCommand($"SELECT DISTINCT window_end FROM {table} WHERE window_end > @last ORDER BY 1", connection))
                {
                    command.Parameters.AddWithValue("last", last);
                    await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                    var now = DateTime.UtcNow;
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var end = reader.GetFieldValue<DateTime>(0);
                        _latenciesMs.Add((now - end).TotalMilliseconds);
                        if (Environment.GetEnvironmentVariable("ETL_BENCH_LOG") == "1")
                        {
                            Console.WriteLine($"{now:HH:mm:ss.fff} probe: window ending {end:HH:mm:ss.fff} visible, {(now - end).TotalMilliseconds:F0} ms after its end");
                        }

                        last = end > last ? end : last;
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The probe ends by cancellation.
        }
    }

    public double Percentile(double p)
    {
        if (_latenciesMs.Count == 0)
        {
            return double.NaN;
        }

        var sorted = _latenciesMs.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}
