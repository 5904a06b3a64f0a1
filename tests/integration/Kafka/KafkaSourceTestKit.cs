using System.Text;
using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Tests.Integration.Infrastructure;
using Etl.Tests.Unit.Harness;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Tests.Integration.Kafka;

/// <summary>Drives a <see cref="KafkaSource{T}"/> directly (no runtime): open, poll with a deadline, snapshot, restore.</summary>
internal static class KafkaSourceTestKit
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static KafkaSourceOptions Options(string topic, string? group = null) => new()
    {
        BootstrapServers = TestServices.KafkaBootstrapServers,
        Topics = [topic],
        GroupId = group ?? $"group-{Guid.NewGuid():N}",
        OpenTimeout = TimeSpan.FromSeconds(15),
    };

    public static OperatorContext Context(int subtaskIndex = 0, int parallelism = 1, RestoredState? restored = null, TimeProvider? time = null) =>
        new("kafka-test-job", "kafka-source", subtaskIndex, parallelism, KeyGroups.DefaultMaxParallelism, restored,
            time ?? TimeProvider.System, NullLoggerFactory.Instance);

    public static async Task<KafkaSource<string>> OpenAsync(KafkaSourceOptions options, OperatorContext context, CancellationToken cancellationToken)
    {
        var source = new KafkaSource<string>(options, new Utf8StringDeserializer());
        try
        {
            await source.OpenAsync(context, cancellationToken);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }

        return source;
    }

    /// <summary>Polls until <paramref name="done"/> holds; throws on the deadline.</summary>
    public static async Task PollUntilAsync<T>(ISource<T> source, ListCollector<T> output, Func<bool> done, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"Timed out after {Deadline.TotalSeconds} s waiting for {what} ({output.Records.Count} records so far: {string.Join(", ", output.Records.TakeLast(20).Select(r => r.Value))}).");
            }

            await source.PollAsync(output, cancellationToken);
        }
    }

    /// <summary>Polls a few more times and asserts nothing more arrives (after everything expected did).</summary>
    public static async Task PollQuietlyAsync<T>(ISource<T> source, ListCollector<T> output, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 10; i++)
        {
            await source.PollAsync(output, cancellationToken);
        }
    }

    /// <summary>Restores as the runtime would: the snapshots of all old subtasks, split for the new subtask.</summary>
    public static RestoredState Restore(CheckpointId checkpointId, IReadOnlyList<OperatorSnapshot> oldSubtasks, int subtaskIndex, int parallelism) =>
        StateAssignment.For(checkpointId, oldSubtasks, subtaskIndex, parallelism, KeyGroups.DefaultMaxParallelism);

    public static IProducer<byte[]?, byte[]?> Producer()
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = TestServices.KafkaBootstrapServers,
            EnableIdempotence = true,
            MessageTimeoutMs = 30_000,
            LingerMs = 5,
        }).Build();
    }

    /// <summary>Produces UTF-8 values to one partition, in order, with the given record timestamps (or now).</summary>
    public static async Task ProduceAsync(string topic, int partition, IEnumerable<string> values, CancellationToken cancellationToken, Func<int, long>? timestampOf = null)
    {
        using var producer = Producer();
        var i = 0;
        foreach (var value in values)
        {
            var message = new Message<byte[]?, byte[]?> { Key = Encoding.UTF8.GetBytes($"k-{value}"), Value = Encoding.UTF8.GetBytes(value) };
            if (timestampOf is not null)
            {
                message.Timestamp = new Timestamp(timestampOf(i), TimestampType.CreateTime);
            }

            await producer.ProduceAsync(new TopicPartition(topic, partition), message, cancellationToken);
            i++;
        }
    }

    /// <summary>What the consumer group has committed for a partition, or null.</summary>
    public static long? CommittedOffset(string group, string topic, int partition)
    {
        using var consumer = GroupConsumer(group);
        var offset = consumer.Committed([new TopicPartition(topic, partition)], TimeSpan.FromSeconds(10)).Single().Offset;
        consumer.Close();
        return offset.Value >= 0 ? offset.Value : null;
    }

    /// <summary>Commits an offset to a group directly, as an outside consumer (or an earlier run) would.</summary>
    public static void CommitOffset(string group, string topic, int partition, long offset)
    {
        using var consumer = GroupConsumer(group);
        consumer.Commit([new TopicPartitionOffset(topic, partition, offset)]);
        consumer.Close();
    }

    /// <summary>A consumer in <paramref name="group"/> that commits only when told, for reading and writing its offsets.</summary>
    private static IConsumer<Ignore, Ignore> GroupConsumer(string group)
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = TestServices.KafkaBootstrapServers,
            GroupId = group,
            EnableAutoCommit = false,
        }).Build();
    }
}
