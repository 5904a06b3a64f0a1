using System.Buffers.Binary;
using System.Diagnostics;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.State;

namespace Etl.Bench;

/// <summary>
/// The runtime's per-record overhead: the same in-memory records through a bare loop, then through
/// source -> map -> sink jobs (forward, keyed, exactly-once and at-least-once checkpoints in memory).
/// Prints records/s, how many times slower than the bare loop, allocated bytes per record and checkpoints taken.
/// </summary>
/// <remarks>
/// The source, map and sink are nested here so the benchmark stays one file; they do the least a real
/// job does (the source snapshots its offset, the sink sums) so the figures are the runtime's own cost.
/// </remarks>
internal sealed class RuntimeBenchmark : IBenchmark
{
    private const int PollBatch = 512;

    public string Name => "runtime";

    public string Description => "runtime per-record overhead: bare loop vs source -> map -> sink jobs (--records N)";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var count = (int)BenchArgs.Number(args, "--records", 10_000_000);
        var repeat = (int)BenchArgs.Number(args, "--repeat", 3);
        var records = new long[count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = i;
        }

        Console.WriteLine($"{count:N0} in-memory long records, map v -> v * 3 + 1, sink sums; source emits up to {PollBatch} per poll; " +
                          $"median of {repeat} runs (range in brackets)");
        Console.WriteLine($"{"run",-40} {"records/s",12} {"(min - max)",25} {"x bare",7} {"B/record",9} {"checkpoints",12}");

        var expected = records.Sum(Map);
        var bare = await MeasureAsync(repeat, () =>
        {
            var sum = 0L;
            foreach (var value in records)
            {
                sum += Map(value);
            }

            return Task.FromResult((sum, 0L));
        });
        Print("bare loop", bare, bare);

        var none = new CheckpointingOptions();
        var runs = new (string Label, int Parallelism, bool Keyed, CheckpointingOptions Checkpointing)[]
        {
            ("forward p1, no checkpoints", 1, false, none),
            ("keyed p1, no checkpoints", 1, true, none),
            ("keyed p2, no checkpoints", 2, true, none),
            ("keyed p2, exactly-once, every 200 ms", 2, true, none with { Interval = TimeSpan.FromMilliseconds(200) }),
            ("keyed p2, exactly-once, every 1 s", 2, true, none with { Interval = TimeSpan.FromSeconds(1) }),
            ("keyed p2, at-least-once, every 200 ms", 2, true,
                none with { Mode = CheckpointingMode.AtLeastOnce, Interval = TimeSpan.FromMilliseconds(200) }),
        };

        // JIT and tiering warm-up of every shape, so no measured job pays for compiling the runtime.
        var warmUp = records[..Math.Min(records.Length, 1_000_000)];
        foreach (var run in runs)
        {
            _ = await RunJobAsync(warmUp, run.Parallelism, run.Keyed, run.Checkpointing, cancellationToken);
        }

        foreach (var run in runs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var figures = await MeasureAsync(
                repeat, () => RunJobAsync(records, run.Parallelism, run.Keyed, run.Checkpointing, cancellationToken));
            Print(run.Label, figures, bare);
        }

        Console.WriteLine("checkpoints: ids used by the job, including the final checkpoint taken at end of input");
        return 0;

        async Task<Figures> MeasureAsync(int times, Func<Task<(long Sum, long Checkpoints)>> body)
        {
            var rates = new List<(double RecordsPerSecond, double BytesPerRecord, long Checkpoints)>();
            for (var i = 0; i < times; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                var (sum, checkpoints) = await body();
                clock.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                if (sum != expected)
                {
                    throw new InvalidOperationException($"The sink summed {sum}, the bare loop {expected}: records were lost or duplicated.");
                }

                rates.Add((count / clock.Elapsed.TotalSeconds, (double)allocated / count, checkpoints));
            }

            var sorted = rates.OrderBy(r => r.RecordsPerSecond).ToList();
            var median = sorted[sorted.Count / 2];
            return new Figures(median.RecordsPerSecond, sorted[0].RecordsPerSecond, sorted[^1].RecordsPerSecond, median.BytesPerRecord, median.Checkpoints);
        }
    }

    private static long Map(long value) => (value * 3) + 1;

    private static async Task<(long Sum, long Checkpoints)> RunJobAsync(
        long[] records, int parallelism, bool keyed, CheckpointingOptions checkpointing, CancellationToken cancellationToken)
    {
        var total = new SumSink.Total();
        var builder = new JobBuilder();
        var source = builder.AddSource("source", info => new ArraySource(records), parallelism);
        var mapped = keyed
            ? source.KeyBy(v => StableHash.Of(v)).Process("map", _ => new MapOperator(), parallelism)
            : source.Process("map", _ => new MapOperator(), parallelism);
        mapped.SinkTo("sink", _ => new SumSink(total), parallelism);
        var options = new JobOptions("runtime-bench") { Checkpointing = checkpointing };
        var runner = new JobRunner(builder.Build(), options, new InMemoryCheckpointStorage());
        var result = await runner.RunAsync(cancellationToken);

        // Ids are consecutive from 1 in a fresh storage, and the job ends with a final checkpoint.
        return (total.Value, result.FinishedWith.Id.Value);
    }

    private static void Print(string label, Figures figures, Figures bare) =>
        Console.WriteLine(
            $"{label,-40} {figures.RecordsPerSecond,12:N0} {$"({figures.Slowest:N0} - {figures.Fastest:N0})",25} " +
            $"{bare.RecordsPerSecond / figures.RecordsPerSecond,7:N1} {figures.BytesPerRecord,9:N1} {figures.Checkpoints,12}");

    private readonly record struct Figures(double RecordsPerSecond, double Slowest, double Fastest, double BytesPerRecord, long Checkpoints);

    /// <summary>Emits its share of the array (index mod parallelism), up to a batch per poll; its state is the next index
    /// (snapshotted like a real source's offset; the benchmark never restores).</summary>
    private sealed class ArraySource(long[] records) : ISource<long>
    {
        private long _next;
        private int _parallelism = 1;

        public ValueTask OpenAsync(OperatorContext context, CancellationToken cancellationToken)
        {
            _next = context.SubtaskIndex;
            _parallelism = context.Parallelism;
            return ValueTask.CompletedTask;
        }

        public ValueTask<SourcePollResult> PollAsync(ISourceOutput<long> output, CancellationToken cancellationToken)
        {
            for (var emitted = 0; emitted < PollBatch; emitted++)
            {
                if (_next >= records.LongLength)
                {
                    return ValueTask.FromResult(SourcePollResult.EndOfInput);
                }

                output.Collect(records[_next], _next);
                _next += _parallelism;
            }

            return ValueTask.FromResult(SourcePollResult.MoreAvailable);
        }

        public ValueTask<OperatorSnapshot> SnapshotStateAsync(CheckpointId checkpointId, CancellationToken cancellationToken)
        {
            var state = new byte[sizeof(long)];
            BinaryPrimitives.WriteInt64LittleEndian(state, _next);
            return ValueTask.FromResult(OperatorSnapshot.Of(state));
        }
    }

    private sealed class MapOperator : IOperator<long, long>
    {
        public ValueTask ProcessAsync(StreamRecord<long> input, ICollector<long> output, CancellationToken cancellationToken)
        {
            output.Collect(Map(input.Value), input.Timestamp);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SumSink(SumSink.Total total) : ISink<long>
    {
        private long _sum;

        public ValueTask WriteAsync(StreamRecord<long> input, CancellationToken cancellationToken)
        {
            _sum += input.Value;
            return ValueTask.CompletedTask;
        }

        public ValueTask EndOfInputAsync(CancellationToken cancellationToken)
        {
            Interlocked.Add(ref total.Value, _sum);
            return ValueTask.CompletedTask;
        }

        public sealed class Total
        {
            [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1051", Justification = "Added to with Interlocked by each sink subtask.")]
            public long Value;
        }
    }
}
