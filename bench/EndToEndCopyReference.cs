using System.Diagnostics;
using Npgsql;

namespace Etl.Bench;

/// <summary>
/// What a plain binary COPY of the same rows costs the server, for comparison with the sink: the job's committed table
/// is read out (COPY TO, not timed) and written into a fresh table with the same primary key in the same row order by
/// one COPY FROM, outside any savepoint or prepared transaction. The server's CPU is measured around that COPY only.
/// </summary>
internal static class EndToEndCopyReference
{
    public static async Task<(long Rows, TimeSpan Wall, TimeSpan? ServerCpu)> RunAsync(
        string connectionString, string table, PostgresServerCpu? server, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var copy = table + "_copy_reference";
        await using (var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {copy}; CREATE TABLE {copy} (LIKE {table} INCLUDING ALL)", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        using var rows = new MemoryStream();
        await using (var reader = await connection.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)", cancellationToken))
        {
            await reader.CopyToAsync(rows, cancellationToken);
        }

        var cpuBefore = server?.Now();
        var watch = Stopwatch.StartNew();
        await using (var writer = await connection.BeginRawBinaryCopyAsync($"COPY {copy} FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            rows.Position = 0;
            await rows.CopyToAsync(writer, cancellationToken);
        }

        watch.Stop();
        var cpu = server?.Now() - cpuBefore;
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {copy}", connection);
        var copied = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        await using var drop = new NpgsqlCommand($"DROP TABLE {copy}", connection);
        await drop.ExecuteNonQueryAsync(cancellationToken);
        return (copied, watch.Elapsed, cpu);
    }
}
