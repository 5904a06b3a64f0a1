using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Etl.Connectors.Kafka;

namespace Etl.Bench;

/// <summary>
/// The Kafka a benchmark runs against: KAFKA_BOOTSTRAP_SERVERS (+ ETL_KAFKA_CONTROL for the mock) from the
/// environment, else a mock cluster of one broker in a child process (<c>etl dev kafka</c>) that is stopped afterwards.
/// </summary>
internal sealed class KafkaBenchCluster : IDisposable
{
    private readonly Process? _child;

    private KafkaBenchCluster(string bootstrapServers, Uri? control, Process? child)
    {
        BootstrapServers = bootstrapServers;
        Control = control;
        _child = child;
    }

    public string BootstrapServers { get; }

    public Uri? Control { get; }

    public string Origin => _child is null ? "from the environment" : $"mock cluster in child process {_child.Id}";

    public static async Task<KafkaBenchCluster> StartAsync(CancellationToken cancellationToken)
    {
        var bootstrap = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS");
        var control = Environment.GetEnvironmentVariable("ETL_KAFKA_CONTROL");
        if (!string.IsNullOrEmpty(bootstrap))
        {
            return new KafkaBenchCluster(bootstrap, string.IsNullOrEmpty(control) ? null : new Uri(control), null);
        }

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "etl.dll"));
        foreach (var argument in new[] { "dev", "kafka", "--brokers", "1" })
        {
            info.ArgumentList.Add(argument);
        }

        var child = Process.Start(info) ?? throw new InvalidOperationException("Could not start `etl dev kafka`.");
        string? servers = null;
        Uri? endpoint = null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        while ((servers is null || endpoint is null) && await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("bootstrap.servers=", StringComparison.Ordinal))
            {
                servers = line["bootstrap.servers=".Length..];
            }
            else if (line.StartsWith("control=", StringComparison.Ordinal))
            {
                endpoint = new Uri(line["control=".Length..]);
            }
        }

        if (servers is null || endpoint is null)
        {
            child.Kill();
            child.Dispose();
            throw new InvalidOperationException("`etl dev kafka` did not print its addresses.");
        }

        return new KafkaBenchCluster(servers, endpoint, child);
    }

    public async Task CreateTopicAsync(string name, int partitions, CancellationToken cancellationToken)
    {
        if (Control is { } control)
        {
            using var http = new HttpClient { BaseAddress = control };
            using var body = new ByteArrayContent([]);
            var path = string.Create(CultureInfo.InvariantCulture, $"topics?name={Uri.EscapeDataString(name)}&partitions={partitions}&replicationFactor=1");
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), body, cancellationToken);
            response.EnsureSuccessStatusCode();
            return;
        }

        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new TopicSpecification { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    /// <summary>Writes <paramref name="records"/> values of <paramref name="size"/> bytes, round-robin over the partitions.</summary>
    public void Seed(string topic, int partitions, long records, int size)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ProducerConfig
        {
            BootstrapServers = BootstrapServers,
            LingerMs = 20,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            QueueBufferingMaxKbytes = 1_048_576,
            Acks = Acks.Leader,
            EnableIdempotence = false,
        };
        long failed = 0;
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var value = new byte[size];
        Array.Fill(value, (byte)'x');
        for (long i = 0; i < records; i++)
        {
            BitConverter.TryWriteBytes(value, i);
            var tp = new TopicPartition(topic, (int)(i % partitions));
            while (true)
            {
                try
                {
                    producer.Produce(tp, new Message<Null, byte[]> { Value = value }, r =>
                    {
                        if (r.Error.IsError)
                        {
                            Interlocked.Increment(ref failed);
                        }
                    });
                    break;
                }
                catch (ProduceException<Null, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
                {
                    producer.Poll(TimeSpan.FromMilliseconds(50));
                }
            }
        }

        producer.Flush(Timeout.InfiniteTimeSpan);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} of {records} seed records were not delivered.");
        }
    }

    /// <summary>Records present now (high - low watermark summed over partitions).</summary>
    public long CountRecords(string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = BootstrapServers, GroupId = "bench-count" }).Build();
        long total = 0;
        for (var p = 0; p < partitions; p++)
        {
            var offsets = consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(30));
            total += offsets.High.Value - offsets.Low.Value;
        }

        return total;
    }

    public void Dispose()
    {
        if (_child is { HasExited: false })
        {
            _child.Kill();
            _child.WaitForExit(5_000);
        }

        _child?.Dispose();
    }
}
