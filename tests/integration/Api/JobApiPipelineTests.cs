using System.Globalization;
using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.Windows;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Integration.Kafka;
using NpgsqlTypes;

namespace Etl.Tests.Integration.Api;

/// <summary>
/// A job built only with the public job API and the connector builders, on the Kafka and PostgreSQL under test:
/// Kafka lines → parse (bad lines to the dead-letter side output, into a table of their own through a second
/// exactly-once sink) → filter → keyBy → tumbling window → sum → PostgreSQL upsert; a late record goes in-band into
/// the totals sink's dead-letter table, in the same transactions as the totals.
/// </summary>
public sealed class JobApiPipelineTests
{
    private static readonly long Base = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    // (line, seconds after Base). "end" moves the watermark past every window before it (its own never fires).
    private static readonly (string Line, int Second)[] Input =
    [
        ("a,5", 1), ("b,7", 2), ("oops", 3), ("a,-3", 4), ("a,4", 9), ("b,1", 12), ("a,2", 25), ("end,1", 3_600),
    ];

    [Fact]
    public async Task KafkaToPostgres_BuiltWithThePublicApi_WritesEachTotalBadLineAndLateRecordOnce()
    {
        var ct = TestDeadline.Token();
        var topic = await TestTopics.CreateAsync(1, ct, "api");
        await using var schema = await TestSchema.CreateAsync(ct);
        await schema.ExecuteAsync(
            $"CREATE TABLE {schema.Name}.totals (customer text, window_start timestamptz, total numeric NOT NULL, PRIMARY KEY (customer, window_start)); " +
            $"CREATE TABLE {schema.Name}.bad_lines (raw bytea, reason text NOT NULL, error text NOT NULL, event_time timestamptz NOT NULL)",
            ct);
        await KafkaSourceTestKit.ProduceAsync(topic, 0, Input.Select(i => i.Line), ct, i => Base + (Input[i].Second * 1000L));

        var lines = new KafkaSourceBuilder<string>()
            .BootstrapServers(TestServices.KafkaBootstrapServers)
            .Topics(topic)
            .Deserializer(new Utf8StringDeserializer())
            .WatermarkInterval(TimeSpan.FromMilliseconds(20));
        var totalsSink = new PostgresSinkBuilder<WindowResult<string, decimal>>(schema.ConnectionString, $"{schema.Name}.totals")
            .Column("customer", NpgsqlDbType.Text, r => r.Key)
            .TimestampColumn("window_start", r => r.WindowStart)
            .Column("total", NpgsqlDbType.Numeric, r => r.Value)
            .UpsertOn("customer", "window_start")
            .DeleteWhen(r => r.IsRetraction)
            .Options(o => o with { Schema = schema.Name });
        var badLinesSink = new PostgresSinkBuilder<DeadLetter>(schema.ConnectionString, $"{schema.Name}.bad_lines")
            .Column("raw", NpgsqlDbType.Bytea, d => d.Value)
            .Column("reason", NpgsqlDbType.Text, d => d.Reason)
            .Column("error", NpgsqlDbType.Text, d => d.Error)
            .TimestampColumn("event_time", d => d.Timestamp)
            .Options(o => o with { Schema = schema.Name });

        var job = new JobBuilder();
        var orders = job.AddSource("lines", lines.Create).Parse("parse", ParseOrder);
        orders.DeadLetters().SinkTo("bad-lines-sink", badLinesSink.Create);
        orders
            .Filter("positive", o => o.Amount > 0)
            .KeyBy(o => o.Customer)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromSeconds(10)))
            .Aggregate("totals", Aggregates.Sum<(string Customer, decimal Amount)>(o => o.Amount))
            .SinkTo("totals-sink", totalsSink.Create);

        var jobName = $"api-{Guid.NewGuid():N}"[..20];
        var options = new JobOptions(jobName) { Checkpointing = new CheckpointingOptions { Interval = TimeSpan.FromMilliseconds(200) } };
        var runner = new JobRunner(job.Build(), options, new InMemoryCheckpointStorage());
        var run = runner.RunAsync(ct);
        await UntilAsync(runner, run, schema, totals: 4, badLines: 1, deadLetters: 0, ct);

        // Only now, with every window before "end" fired, is this record certainly late (in one poll it might not be).
        await KafkaSourceTestKit.ProduceAsync(topic, 0, ["b,9"], ct, _ => Base + 5_000);
        await UntilAsync(runner, run, schema, totals: 4, badLines: 1, deadLetters: 1, ct);
        await runner.StopWithSavepointAsync(ct);
        await run;

        Assert.Equal(
            "a 2026-01-01T00:00:00 9|a 2026-01-01T00:00:20 2|b 2026-01-01T00:00:00 7|b 2026-01-01T00:00:10 1",
            await schema.ScalarAsync(
                "SELECT string_agg(customer || ' ' || to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || ' ' || total, '|' ORDER BY customer, window_start) FROM totals",
                ct));
        Assert.Equal(
            $"oops validation {Base + 3_000}",
            await schema.ScalarAsync("SELECT convert_from(raw, 'UTF8') || ' ' || reason || ' ' || (extract(epoch FROM event_time) * 1000)::bigint FROM bad_lines", ct));
        Assert.Equal(
            $"late totals-sink {Base + 5_000}",
            await schema.ScalarAsync("SELECT reason || ' ' || sink || ' ' || (extract(epoch FROM event_time) * 1000)::bigint FROM dead_letters", ct));
        Assert.Equal(0L, await schema.ScalarAsync($"SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'etl:{jobName}:%'", ct));
    }

    private static async Task UntilAsync(
        JobRunner runner, Task run, TestSchema schema, long totals, long badLines, long deadLetters, CancellationToken ct)
    {
        async Task<(long, long, long)> CountsAsync() =>
            (await CountAsync(schema, "totals", ct), await CountAsync(schema, "bad_lines", ct), await CountAsync(schema, "dead_letters", ct));
        try
        {
            await Poll.UntilAsync(
                async () => run.IsCompleted || await CountsAsync() == (totals, badLines, deadLetters),
                TimeSpan.FromSeconds(60), $"{totals} totals, {badLines} bad lines and {deadLetters} dead letters to be committed");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Found (totals, bad lines, dead letters) = {await CountsAsync()}; the job is {runner.Status}.", e);
        }

        Assert.False(run.IsCompleted, $"The job ended early: {runner.Status}");
    }

    private static (string Customer, decimal Amount) ParseOrder(string line)
    {
        var parts = line.Split(',');
        return parts.Length == 2 && decimal.TryParse(parts[1], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? (parts[0], amount)
            : throw new FormatException($"'{line}' is not 'customer,amount'.");
    }

    private static async Task<long> CountAsync(TestSchema schema, string table, CancellationToken ct) =>
        (long)(await schema.ScalarAsync($"SELECT count(*) FROM {schema.Name}.{table}", ct))!;
}
