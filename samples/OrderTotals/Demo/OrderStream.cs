using System.Globalization;
using System.Text;
using Etl.Pipeline.State;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// A seeded stream of orders for the demo and the crash tests: event time advances by
/// <see cref="OrderStreamOptions.Step"/> per order with jitter (out of order, within the out-of-orderness),
/// a fraction of orders far behind the stream (late-prone), a fraction of malformed records of every
/// kind the parser rejects, and optionally a fraction of hostile ones (<see cref="HostileInput"/>). Each
/// record names its partition (key hash mod partitions), so the reference
/// check knows the order in which each partition is read.
/// </summary>
internal static class OrderStream
{
    public static IReadOnlyList<GeneratedOrder> Generate(OrderStreamOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var random = new Random(options.Seed);
        var records = new List<GeneratedOrder>(options.Count);
        var startMs = options.Start.ToUnixTimeMilliseconds();
        // Fractional: at 10,000 orders/s a step is 0.1 ms, and whole milliseconds would give every order one instant.
        var stepMs = options.Step.TotalMilliseconds;
        var jitterMs = (long)options.Jitter.TotalMilliseconds;
        var lateMs = (long)options.LateBy.TotalMilliseconds;
        for (var i = 0; i < options.Count; i++)
        {
            var customer = $"c-{random.Next(options.Customers):D4}";
            var partition = PartitionOf(customer, options.Partitions);
            var streamTime = startMs + (long)(i * stepMs);
            var roll = random.NextDouble();
            if (roll < options.MalformedFraction)
            {
                records.Add(new GeneratedOrder(i, partition, customer, Malformed(i, customer, streamTime, random), GeneratedKind.Malformed, null));
                continue;
            }

            if (roll < options.MalformedFraction + options.HostileFraction)
            {
                var (value, kind, hostile) = HostileInput.Generate(i, customer, streamTime, random);
                records.Add(new GeneratedOrder(i, partition, customer, value, kind, hostile));
                continue;
            }

            var lateProne = roll < options.MalformedFraction + options.HostileFraction + options.LateFraction;
            var ts = lateProne ? streamTime - lateMs : streamTime - (jitterMs == 0 ? 0 : random.NextInt64(jitterMs));
            var amount = random.Next(100, 50_000) / 100m;
            var order = new Order($"o-{i}", customer, amount, ts);
            var asNumber = random.Next(5) == 0;
            records.Add(new GeneratedOrder(i, partition, customer, Json(order, asNumber), lateProne ? GeneratedKind.LateProne : GeneratedKind.OnTime, order));
        }

        return records;
    }

    /// <summary>The partition the demo producer writes a customer's orders to.</summary>
    public static int PartitionOf(string customer, int partitions) => (int)((uint)StableHash.Of(customer) % (uint)partitions);

    public static string Timestamp(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Json(Order order, bool amountAsNumber) => OrderJson.Serialize(order, amountAsNumber);

    private static byte[] Malformed(int i, string customer, long ts, Random random)
    {
        var t = Timestamp(ts);
        var text = random.Next(7) switch
        {
            0 => $"garbage-{i} {{{{ not json",
            1 => $"{{\"order_id\": \"o-{i}\", \"amount\": \"10.00\", \"ts\": \"{t}\"}}",
            2 => $"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": \"12.3x\", \"ts\": \"{t}\"}}",
            3 => $"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": \"5.00\", \"ts\": \"yesterday\"}}",
            4 => $"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": true, \"ts\": \"{t}\"}}",
            5 => $"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": \"1.005\", \"ts\": \"{t}\"}}",
            _ => $"{{\"order_id\": \"o-{i}\", \"customer_id\": \"{customer}\", \"amount\": \"7.50\", \"ts\": \"{t}\"",
        };
        return Encoding.UTF8.GetBytes(text);
    }
}
