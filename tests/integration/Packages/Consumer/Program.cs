// A job written by someone outside the Etl repository, against the packed Etl packages only (public API).
// Arguments: bootstrap servers, topic, PostgreSQL connection string, schema, rows to wait for.
using System.Globalization;
using Etl.Connectors.Kafka;
using Etl.Connectors.Postgres;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.Windows;
using Npgsql;
using NpgsqlTypes;

var (bootstrap, topic, connection, schema) = (args[0], args[1], args[2], args[3]);
var expectedRows = long.Parse(args[4], CultureInfo.InvariantCulture);

var lines = new KafkaSourceBuilder<string>()
    .BootstrapServers(bootstrap)
    .Topics(topic)
    .Deserializer(new Utf8StringDeserializer())
    .WatermarkInterval(TimeSpan.FromMilliseconds(20));
var counts = new PostgresSinkBuilder<WindowResult<string, long>>(connection, $"{schema}.word_counts")
    .Column("word", NpgsqlDbType.Text, r => r.Key)
    .TimestampColumn("window_start", r => r.WindowStart)
    .Column("n", NpgsqlDbType.Bigint, r => r.Value)
    .UpsertOn("word", "window_start")
    .Options(o => o with { Schema = schema });

var job = new JobBuilder();
job.AddSource("lines", lines.Create)
    .FlatMap("words", line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
    .KeyBy(word => word)
    .Window(WindowAssigner.Tumbling(TimeSpan.FromMinutes(1)))
    .Aggregate("counts", Aggregates.Count<string>())
    .SinkTo("counts-sink", counts.Create);

var options = new JobOptions($"package-consumer-{schema}")
{
    Checkpointing = new CheckpointingOptions { Interval = TimeSpan.FromMilliseconds(200) },
};
var runner = new JobRunner(job.Build(), options, new InMemoryCheckpointStorage());
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
var run = runner.RunAsync(timeout.Token);

await using var db = new NpgsqlConnection(connection);
await db.OpenAsync(timeout.Token);
while (!run.IsCompleted)
{
    await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.word_counts", db);
    if ((long)(await count.ExecuteScalarAsync(timeout.Token))! >= expectedRows)
    {
        break;
    }

    await Task.Delay(100, timeout.Token);
}

if (run.IsCompleted)
{
    await run;
    Console.Error.WriteLine("the job ended before its rows were written");
    return 1;
}

var savepoint = await runner.StopWithSavepointAsync(timeout.Token);
await run;
Console.WriteLine($"stopped with savepoint {savepoint.Id}");
return 0;
