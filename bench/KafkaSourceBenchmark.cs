using System.Diagnostics;
using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Bench;

/// <summary>
/// <c>./bench.sh kafka-source [--records N] [--partitions P] [--size BYTES] [--rounds R]</c>: on one seeded topic,
/// (a) kcat's raw consume rate, (b) a bare Confluent.Kafka loop with the source's consumer settings and
/// deserializer, (c) the source subtask with a snapshot + completion every second, discarding records.
/// </summary>
internal sealed class KafkaSourceBenchmark : IBenchmark
{
    public string Name => "kafka-source";

    public string Description => "kcat vs bare Confluent.Kafka loop vs KafkaSource with 1 s checkpoints [--records N]";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = BenchArgs.Number(args, "--records", 5_000_000L);
        var size = (int)BenchArgs.Number(args, "--size", 100);
        // The mock keeps only about 5 MB per partition (older records are trimmed like retention), so spread
        // the records thinly enough that nothing is trimmed.
        var partitions = (int)BenchArgs.Number(args, "--partitions", Math.Max(4, (records * (size + 40) / 3_000_000) + 1));
        var rounds = (int)BenchArgs.Number(args, "--rounds", 3);
        var variants = args.Contains("--variants");
        using var cluster = await KafkaBenchCluster.StartAsync(cancellationToken);
        var topic = $"bench-source-{Guid.NewGuid():N}";
        await cluster.CreateTopicAsync(topic, partitions, cancellationToken);
        Print($"kafka: {cluster.BootstrapServers} ({cluster.Origin}); librdkafka {KafkaNativeLibrary.Version}; {Environment.ProcessorCount} cores");
        var seed = Stopwatch.StartNew();
        cluster.Seed(topic, partitions, records, size);
        Print($"seeded {records:N0} records of {size} B over {partitions} partitions in {seed.Elapsed.TotalSeconds:F1} s");
        var stored = cluster.CountRecords(topic, partitions);
        if (stored != records)
        {
            Print($"warning: the topic holds {stored:N0} records, not {records:N0} (the mock trims old records per partition); measuring {stored:N0}");
            records = stored;
        }

        var kcat = await KcatAsync(cluster.BootstrapServers, topic, records, cancellationToken);
        double bestBare = 0, bestSource = 0, bestNoCommit = 0;
        for (var round = 1; round <= rounds; round++)
        {
            // Alternate the order so that neither side always runs first (JIT, page cache, the mock's state).
            double bare, source;
            if (round % 2 == 1)
            {
                bare = BareLoop(cluster.BootstrapServers, topic, partitions, records, cancellationToken);
                source = await SourceLoopAsync(cluster.BootstrapServers, topic, records, commit: true, cancellationToken);
            }
            else
            {
                source = await SourceLoopAsync(cluster.BootstrapServers, topic, records, commit: true, cancellationToken);
                bare = BareLoop(cluster.BootstrapServers, topic, partitions, records, cancellationToken);
            }

            bestBare = Math.Max(bestBare, bare);
            bestSource = Math.Max(bestSource, source);
            if (variants)
            {
                bestNoCommit = Math.Max(bestNoCommit, await SourceLoopAsync(cluster.BootstrapServers, topic, records, commit: false, cancellationToken));
            }
        }

        Print("");
        Print($"(a) kcat                        {kcat,12:N0} rec/s");
        Print($"(b) bare Confluent.Kafka loop   {bestBare,12:N0} rec/s   (b)/(a) = {bestBare / kcat:F3}");
        Print($"(c) KafkaSource, 1 s snapshots  {bestSource,12:N0} rec/s   (c)/(b) = {bestSource / bestBare:F3}  (target >= 0.9)");
        if (variants)
        {
            Print($"(c') same, no group commits   {bestNoCommit,12:N0} rec/s   (c')/(b) = {bestNoCommit / bestBare:F3}  (diagnostic)");
        }

        Print($"best of {rounds} round(s) for (b) and (c); one run of (a)");
        return 0;
    }

    private static async Task<double> KcatAsync(string bootstrap, string topic, long records, CancellationToken cancellationToken)
    {
        var elapsed = await KcatConsume.MeasureAsync(bootstrap, topic, cancellationToken);
        var rate = records / elapsed.TotalSeconds;
        Print($"(a) kcat: {records:N0} records in {elapsed.TotalSeconds:F2} s = {rate:N0} rec/s (includes process start and metadata)");
        return rate;
    }

    private static double BareLoop(string bootstrap, string topic, int partitions, long records, CancellationToken cancellationToken)
    {
        var options = Options(bootstrap, topic);
        var config = new ConsumerConfig(KafkaConsumerSettings.Build(options, needsTimestamp: true, needsTopicName: false));
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, long>(config).SetValueDeserializer(new KafkaBenchValue()).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long count = 0, checksum = 0, timestamps = 0;
        var cpu = ProcessCpu.Now();
        var watch = Stopwatch.StartNew();
        while (count < records && !cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.Zero) ?? consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null)
            {
                continue;
            }

            checksum += result.Message.Value;
            timestamps += result.Message.Timestamp.UnixTimestampMs & 1;
            count++;
        }

        watch.Stop();
        cpu = ProcessCpu.Now() - cpu;
        consumer.Close();
        var rate = count / watch.Elapsed.TotalSeconds;
        Print($"(b) bare loop: {count:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {rate:N0} rec/s, CPU {cpu.TotalMicroseconds / count:F2} us/record (checksum {checksum}, {timestamps})");
        return rate;
    }

    private static async Task<double> SourceLoopAsync(string bootstrap, string topic, long records, bool commit, CancellationToken cancellationToken)
    {
        var context = new OperatorContext("bench", "kafka-source", 0, 1, 128, null, TimeProvider.System, NullLoggerFactory.Instance);
        var output = new KafkaDiscardingOutput();
        var checkpoints = 0L;
        var longestSnapshot = TimeSpan.Zero;
        double rate;
        await using (var source = new KafkaSource<long>(Options(bootstrap, topic) with { CommitOffsetsOnCheckpoint = commit }, new KafkaBenchValue()))
        {
            await source.OpenAsync(context, cancellationToken);
            var cpu = ProcessCpu.Now();
            var watch = Stopwatch.StartNew();
            var nextCheckpoint = TimeSpan.FromSeconds(1);
            while (output.Records < records && !cancellationToken.IsCancellationRequested)
            {
                await source.PollAsync(output, cancellationToken);
                if (watch.Elapsed >= nextCheckpoint)
                {
                    var started = watch.Elapsed;
                    var id = new CheckpointId(++checkpoints);
                    await source.SnapshotStateAsync(id, cancellationToken);
                    await source.NotifyCheckpointCompleteAsync(id, cancellationToken);
                    var took = watch.Elapsed - started;
                    longestSnapshot = took > longestSnapshot ? took : longestSnapshot;
                    nextCheckpoint = watch.Elapsed + TimeSpan.FromSeconds(1);
                }
            }

            watch.Stop();
            cpu = ProcessCpu.Now() - cpu;
            rate = output.Records / watch.Elapsed.TotalSeconds;
            Print($"(c{(commit ? "" : "'")}) source: {output.Records:N0} records in {watch.Elapsed.TotalSeconds:F2} s = {rate:N0} rec/s, CPU {cpu.TotalMicroseconds / output.Records:F2} us/record; " +
                $"{checkpoints} checkpoints, longest snapshot+notify {longestSnapshot.TotalMilliseconds:F2} ms (checksum {output.Checksum})");
        }

        return rate;
    }

    private static KafkaSourceOptions Options(string bootstrap, string topic) => new()
    {
        BootstrapServers = bootstrap,
        Topics = [topic],
        GroupId = $"bench-{Guid.NewGuid():N}",
        PartitionDiscoveryInterval = TimeSpan.Zero,
    };

    private static void Print(string line) => Console.WriteLine(line);
}
