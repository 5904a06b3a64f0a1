using System.Diagnostics;
using Confluent.Kafka;
using Etl.Connectors.Kafka;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Bench;

/// <summary>The consume ceilings on a backlog of orders: kcat (child process) and a bare Confluent.Kafka loop with the job's parser.</summary>
internal static class EndToEndCeilings
{
    public static async Task<double> KcatAsync(string bootstrap, string topic, long records, CancellationToken cancellationToken)
    {
        var elapsed = await KcatConsume.MeasureAsync(bootstrap, topic, cancellationToken);
        var rate = records / elapsed.TotalSeconds;
        Console.WriteLine($"kcat: {records:N0} records in {elapsed.TotalSeconds:F2} s = {rate:N0} rec/s (includes process start)");
        return rate;
    }

    /// <summary>Returns the rate and the CPU seconds per million records, timed from the first record to the last.</summary>
    public static (double Rate, double CpuPerMillion) BareLoop(string bootstrap, string topic, int partitions, long records, CancellationToken cancellationToken)
    {
        var settings = new KafkaSourceOptions { BootstrapServers = bootstrap, Topics = [topic], GroupId = $"bench-{Guid.NewGuid():N}" };
        var config = new ConsumerConfig(KafkaConsumerSettings.Build(settings, needsTimestamp: false, needsTopicName: false));
        KafkaNativeLibrary.EnsureLoaded();
        using var consumer = new ConsumerBuilder<Ignore, Order?>(config).SetValueDeserializer(new EndToEndOrderValue()).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        long count = 0, malformed = 0;
        decimal sum = 0;
        long first = 0;
        var cpu = TimeSpan.Zero;
        while (count < records && !cancellationToken.IsCancellationRequested)
        {
            var result = consumer.Consume(TimeSpan.Zero) ?? consumer.Consume(TimeSpan.FromMilliseconds(50));
            if (result is null)
            {
                continue;
            }

            if (++count == 1)
            {
                first = Stopwatch.GetTimestamp();
                cpu = ProcessCpu.Now();
            }

            if (result.Message.Value is { } order)
            {
                sum += order.Amount;
            }
            else
            {
                malformed++;
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(first);
        cpu = ProcessCpu.Now() - cpu;
        consumer.Close();
        var rate = count / elapsed.TotalSeconds;
        var perMillion = cpu.TotalSeconds / count * 1_000_000;
        Console.WriteLine($"bare loop: {count:N0} records in {elapsed.TotalSeconds:F2} s = {rate:N0} rec/s, CPU {perMillion:F2} s/M ({malformed} malformed, sum {sum})");
        return (rate, perMillion);
    }
}
