using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Demo;
using Etl.Samples.OrderTotals.Job;
using Etl.Samples.OrderTotals.Orders;
using Etl.Tests.Integration.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Session windows with allowed lateness, through the order-total job's own window operator and PostgreSQL
/// sink: late orders that merge fired sessions or move a fired session's start must leave exactly the
/// reference sessions in the table, not the superseded (customer, start) rows beside them (issue 13,
/// scenario 14). The runtime is left out so that the late records arrive in a known order; the operator's
/// output goes to the sink as the runtime would pass it, one epoch per checkpoint.
/// </summary>
public sealed class OrderTotalsSessionRetractionTests
{
    private static readonly WindowSettings Sessions = new()
    {
        Kind = WindowKind.Session,
        Gap = TimeSpan.FromSeconds(3),
        AllowedLateness = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sessions_LateOrdersMergingFiredSessions_TableHoldsExactlyTheReferenceSessions(bool stagedEpoch)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var ct = cts.Token;
        var schema = "sr_" + Guid.NewGuid().ToString("N")[..12];
        var options = new OrderTotalsSettings(
            "job-" + schema[3..],
            new KafkaSettings(),
            new PostgresSettings
            {
                ConnectionString = TestServices.PostgresConnectionString,
                Table = $"{schema}.order_totals",
                SinkSchema = schema,
                BatchSize = 4,
            },
            Sessions);
        await TotalsTable.EnsureAsync(options.Postgres.ConnectionString, options.Postgres.Table, ct);
        try
        {
            // Epoch 1: two sessions of "bridged" and one of "moved", all fired by the watermark.
            Order[] onTime =
            [
                Order("bridged", 0), Order("bridged", 5_000), Order("moved", 20_000), Order("untouched", 30_000),
            ];
            // Epoch 2, late but within the lateness: 2.5 s bridges [0, 3 s) and [5 s, 8 s); 18 s moves the start of
            // [20 s, 23 s) back; 7 s extends the bridged session at its end only (same key: an upsert).
            Order[] late = [Order("bridged", 2_500), Order("moved", 18_000), Order("bridged", 7_000)];

            var windows = OrderTotalsJob.WindowOperator(options.Window);
            var context = new OperatorContext(
                options.JobName, OrderTotalsJob.WindowUid, 0, 1, KeyGroups.DefaultMaxParallelism, null, TimeProvider.System, NullLoggerFactory.Instance);
            await windows.OpenAsync(context, ct);
            var sink = PostgresSink(options);
            await sink.OpenAsync(
                new OperatorContext(options.JobName, OrderTotalsJob.SinkUid, 0, 1, KeyGroups.DefaultMaxParallelism, null, TimeProvider.System, NullLoggerFactory.Instance),
                ct);
            await using (sink)
            {
                var output = new SinkCollector();
                foreach (var order in onTime)
                {
                    await windows.ProcessAsync(new StreamRecord<Order>(order, order.Timestamp), output, ct);
                }

                await windows.OnWatermarkAsync(new Watermark(25_000), output, ct);
                await output.DrainIntoAsync(sink, ct);
                await sink.SnapshotStateAsync(new CheckpointId(1), ct);
                if (!stagedEpoch)
                {
                    await sink.NotifyCheckpointCompleteAsync(new CheckpointId(1), ct);
                }

                // With checkpoint 1 still pending, epoch 2 goes through the staging table.
                foreach (var order in late)
                {
                    await windows.ProcessAsync(new StreamRecord<Order>(order, order.Timestamp), output, ct);
                }

                await windows.EndOfInputAsync(output, ct);
                await output.DrainIntoAsync(sink, ct);
                await sink.SnapshotStateAsync(new CheckpointId(2), ct);
                await sink.NotifyCheckpointCompleteAsync(new CheckpointId(2), ct);
            }

            var table = await OrderTotalsReader.TotalsAsync(options.Postgres.ConnectionString, options.Postgres.Table, ct);
            var reference = ReferenceTotals.Compute([.. onTime, .. late], options.Window).Values;
            Assert.Equal(
                reference.OrderBy(t => (t.CustomerId, t.WindowStart)).Select(Show),
                table.OrderBy(t => (t.CustomerId, t.WindowStart)).Select(Show));
            Assert.Empty(await OrderTotalsReader.PreparedTransactionsAsync(options.Postgres.ConnectionString, options.JobName, ct));
        }
        finally
        {
            // A failed test may leave epoch 1 prepared, holding locks that DROP SCHEMA would wait on.
            foreach (var gid in await OrderTotalsReader.PreparedTransactionsAsync(options.Postgres.ConnectionString, options.JobName, CancellationToken.None))
            {
                await ExecuteAsync(options.Postgres.ConnectionString, $"ROLLBACK PREPARED '{gid}'");
            }

            await ExecuteAsync(options.Postgres.ConnectionString, $"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static ISink<WindowResult<string, OrderTotal>> PostgresSink(OrderTotalsSettings options) =>
        Etl.Connectors.Postgres.PostgresSink.Create(OrderTotalsJob.SinkOptions(options));

    private static Order Order(string customer, long timestamp) => new($"{customer}-{timestamp}", customer, 1.25m, timestamp);

    private static string Show(WindowTotal t) => $"{t.CustomerId} [{t.WindowStart}, {t.WindowEnd}) {t.Total} x{t.OrderCount}";

    /// <summary>Collects the operator's output in order; the sink takes it as the runtime would.</summary>
    private sealed class SinkCollector : ICollector<WindowResult<string, OrderTotal>>
    {
        private readonly List<StreamRecord<WindowResult<string, OrderTotal>>> _records = [];

        public void Collect(WindowResult<string, OrderTotal> value, long timestamp) => _records.Add(new(value, timestamp));

        public void CollectDeadLetter(DeadLetter deadLetter) =>
            throw new InvalidOperationException($"No order in this test is late beyond the lateness: {deadLetter.Error}");

        public async Task DrainIntoAsync(ISink<WindowResult<string, OrderTotal>> sink, CancellationToken cancellationToken)
        {
            foreach (var record in _records)
            {
                await sink.WriteAsync(record, cancellationToken);
            }

            _records.Clear();
        }
    }
}
