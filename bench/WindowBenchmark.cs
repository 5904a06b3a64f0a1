using System.Diagnostics;
using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Windows;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Bench;

/// <summary>
/// In-memory orders over many customers through a decimal sum in tumbling, sliding and session
/// windows, with watermarks as a bounded-out-of-orderness source would emit them. Prints records/s,
/// allocated bytes per record, and the size of a checkpoint of the open windows.
/// </summary>
internal sealed class WindowBenchmark : IBenchmark
{
    private const long OutOfOrderness = 2_000;
    private const int WatermarkEvery = 1_000;

    public string Name => "windows";

    public string Description => "window operators: 10M orders over 100k customers (--records N --customers N --per-minute N)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var records = BenchArgs.Number(args, "--records", 10_000_000);
        var customerCount = (int)BenchArgs.Number(args, "--customers", 100_000);
        var perMinute = BenchArgs.Number(args, "--per-minute", 1_000_000);
        Console.WriteLine($"{records:N0} orders over {customerCount:N0} customers, {perMinute:N0} orders per event-minute, " +
                          $"out-of-orderness {OutOfOrderness} ms, a watermark every {WatermarkEvery} records");
        var stream = OrderStream.Generate(records, customerCount, perMinute, seed: 42);

        var sum = Aggregates.Sum<WindowBenchOrder>(o => o.Amount);
        await RunAsync("generator only (no operator)", null, stream, cancellationToken);
        await RunAsync("tumbling 1 min, sum", WindowAssigner.Tumbling(TimeSpan.FromMinutes(1)), stream, cancellationToken);
        await RunAsync("sliding 1 min / 10 s, sum", WindowAssigner.Sliding(TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)), stream, cancellationToken);
        await RunAsync("session gap 30 s, sum", WindowAssigner.Session(TimeSpan.FromSeconds(30)), stream, cancellationToken);
        return 0;

        async Task RunAsync(string label, WindowAssigner? assigner, OrderStream orders, CancellationToken ct)
        {
            var op = assigner is null ? null : WindowedAggregate.Create(
                assigner, (WindowBenchOrder o) => o.Customer, KeyFormats.Strings, sum,
                new WindowOptions<WindowBenchOrder>(o => System.Text.Encoding.UTF8.GetBytes(o.Customer)));
            if (op is not null)
            {
                await op.OpenAsync(new OperatorContext("bench", "window", 0, 1, 128, null, TimeProvider.System, NullLoggerFactory.Instance), ct);
            }

            var output = new WindowCountingCollector<WindowResult<string, decimal>>();
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var maxTimestamp = long.MinValue;
            var checksum = 0m;
            var half = orders.Count / 2;
            var allocatedAtHalf = 0L;
            for (var i = 0; i < orders.Count; i++)
            {
                if (i == half)
                {
                    allocatedAtHalf = GC.GetTotalAllocatedBytes(precise: true);
                }

                var (order, timestamp) = orders.At(i);
                maxTimestamp = Math.Max(maxTimestamp, timestamp);
                if (op is null)
                {
                    checksum += order.Amount;
                }
                else
                {
                    await op.ProcessAsync(new StreamRecord<WindowBenchOrder>(order, timestamp), output, ct);
                    if (i % WatermarkEvery == WatermarkEvery - 1)
                    {
                        await op.OnWatermarkAsync(new Watermark(maxTimestamp - OutOfOrderness - 1), output, ct);
                    }
                }
            }

            clock.Stop();
            var allocatedAtEnd = GC.GetTotalAllocatedBytes(precise: true);
            var rate = orders.Count / clock.Elapsed.TotalSeconds;
            // The first half includes warm-up (one window list per customer, growing tables); the
            // second half shows the steady state.
            var line = $"{label,-28} {rate,11:N0} records/s  {(double)(allocatedAtEnd - allocatedBefore) / orders.Count,6:N2} B/record " +
                       $"(second half {(double)(allocatedAtEnd - allocatedAtHalf) / (orders.Count - half),5:N2})";
            if (op is not null)
            {
                line += $"  {1e9 / rate,6:N0} ns/record";
                var snapshotClock = Stopwatch.StartNew();
                var snapshot = await op.SnapshotStateAsync(new CheckpointId(1), ct);
                snapshotClock.Stop();
                await op.EndOfInputAsync(output, ct);
                line += $"  results {output.Results:N0}, late {output.DeadLetters:N0}; checkpoint of open windows " +
                        $"{snapshot.SizeInBytes / 1024.0 / 1024.0:N1} MiB in {snapshotClock.Elapsed.TotalMilliseconds:N0} ms";
                await op.DisposeAsync();
            }
            else
            {
                line += $"  (checksum {checksum})";
            }

            Console.WriteLine(line);
        }
    }

    /// <summary>Pre-generated columns, so the timed loop only builds struct records.</summary>
    private sealed class OrderStream
    {
        private readonly string[] _customers;
        private readonly int[] _customer;
        private readonly short[] _behind;
        private readonly int[] _cents;
        private readonly long _perMinute;

        private OrderStream(string[] customers, int[] customer, short[] behind, int[] cents, long perMinute)
        {
            _perMinute = perMinute;
            _customers = customers;
            _customer = customer;
            _behind = behind;
            _cents = cents;
        }

        public int Count => _customer.Length;

        public static OrderStream Generate(long records, int customers, long perMinute, int seed)
        {
            var rng = new Random(seed);
            var names = Enumerable.Range(0, customers).Select(c => $"customer-{c:D6}").ToArray();
            var customer = new int[records];
            var behind = new short[records];
            var cents = new int[records];
            for (var i = 0; i < records; i++)
            {
                customer[i] = rng.Next(customers);
                behind[i] = (short)rng.Next(0, (int)OutOfOrderness + 1);
                cents[i] = rng.Next(1, 100_000);
            }

            return new OrderStream(names, customer, behind, cents, perMinute);
        }

        public (WindowBenchOrder Order, long Timestamp) At(int i)
        {
            var timestamp = 1_700_000_000_000L + (i * 60_000L / _perMinute) - _behind[i];
            return (new WindowBenchOrder(_customers[_customer[i]], new decimal(_cents[i], 0, 0, false, 2)), timestamp);
        }
    }
}
