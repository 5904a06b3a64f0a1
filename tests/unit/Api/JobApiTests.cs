using System.Collections.Concurrent;
using System.Text;
using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Runtime;
using Etl.Pipeline.Windows;

namespace Etl.Tests.Unit.Api;

/// <summary>Jobs built only with the public job API, run by the real runtime on in-memory sources and sinks.</summary>
public sealed class JobApiTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    // Tumbling 10 s windows; "oops" cannot be parsed, "a,-3" is filtered out, and "b,9" at 4 s arrives after the
    // watermark passed 25 s, later than any window of it accepts.
    private static readonly (string, long)[] Lines =
    [
        ("a,5", 1_000), ("b,7", 2_000), ("oops", 2_500), ("a,-3", 3_000), ("a,4", 9_000),
        ("b,1", 12_000), ("a,2", 25_000), ("b,9", 4_000),
    ];

    private static readonly (string Key, long Start, decimal Total)[] ExpectedTotals =
        [("a", 0, 9m), ("a", 20_000, 2m), ("b", 0, 7m), ("b", 10_000, 1m)];

    [Fact]
    public async Task SourceParseFilterKeyByWindowAggregateSink_WritesEachWindowOnce_AndSendsBadAndLateRecordsToTheirSideOutputs()
    {
        var totals = new ConcurrentQueue<StreamRecord<WindowResult<string, decimal>>>();
        var deadLetters = new ConcurrentQueue<StreamRecord<DeadLetter>>();
        var late = new ConcurrentQueue<StreamRecord<Order>>();
        var lateOrders = new OutputTag<Order>("late-orders");

        var job = new JobBuilder();
        var orders = job.AddSource("lines", _ => new ListSource<string>(Lines)).Parse("parse", Order.Parse);
        var windowTotals = orders
            .Filter("positive", o => o.Amount > 0)
            .KeyBy(o => o.Customer)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromSeconds(10)))
            .SideOutputLateData(lateOrders)
            .Aggregate("totals", Aggregates.Sum<Order>(o => o.Amount), parallelism: 2);
        windowTotals.SinkTo("totals-sink", _ => new CollectingSink<WindowResult<string, decimal>>(totals), parallelism: 2);
        windowTotals.SideOutput(lateOrders).SinkTo("late-sink", _ => new CollectingSink<Order>(late));
        orders.DeadLetters().SinkTo("dead-letter-sink", _ => new CollectingSink<DeadLetter>(deadLetters));

        await RunAsync(job);

        Assert.Equal(ExpectedTotals, totals.Select(r => (r.Value.Key, r.Value.WindowStart, r.Value.Value)).Order());
        var deadLetter = Assert.Single(deadLetters).Value;
        Assert.Equal((DeadLetterReasons.Validation, "oops", 2_500L), (deadLetter.Reason, Encoding.UTF8.GetString(deadLetter.Value!), deadLetter.Timestamp));
        Assert.Contains("not 'customer,amount'", deadLetter.Error, StringComparison.Ordinal);
        Assert.Equal(new StreamRecord<Order>(new Order("b", 9m), 4_000), Assert.Single(late));
    }

    [Fact]
    public async Task DeadLettersNotReadAsASideOutput_TravelInBandToTheSink_WithTheResults()
    {
        var totals = new ConcurrentQueue<StreamRecord<WindowResult<string, decimal>>>();
        var deadLetters = new ConcurrentQueue<DeadLetter>();

        var job = new JobBuilder();
        job.AddSource("lines", _ => new ListSource<string>(Lines))
            .Parse("parse", Order.Parse)
            .Filter("positive", o => o.Amount > 0)
            .KeyBy(o => o.Customer)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromSeconds(10)))
            .Aggregate("totals", Aggregates.Sum<Order>(o => o.Amount))
            .SinkTo("totals-sink", _ => new CollectingSink<WindowResult<string, decimal>>(totals, deadLetters));

        await RunAsync(job);

        Assert.Equal(ExpectedTotals, totals.Select(r => (r.Value.Key, r.Value.WindowStart, r.Value.Value)).Order());
        Assert.Equal(
            [(DeadLetterReasons.Late, 4_000L), (DeadLetterReasons.Validation, 2_500L)],
            deadLetters.Select(d => (d.Reason, d.Timestamp)).Order());
    }

    [Fact]
    public async Task UnionMapFlatMapAndWindowReduce_CombineTwoSources()
    {
        var maxima = new ConcurrentQueue<StreamRecord<WindowResult<string, Order>>>();
        var words = new ConcurrentQueue<StreamRecord<string>>();

        var job = new JobBuilder();
        var first = job.AddSource("first", _ => new ListSource<Order>([(new Order("a", 3m), 1_000), (new Order("b", 1m), 2_000)]));
        var second = job.AddSource("second", _ => new ListSource<Order>([(new Order("a", 8m), 1_500), (new Order("a", 2m), 11_000)]), parallelism: 2);
        var all = first.Union(second);
        all.KeyBy(o => o.Customer)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromSeconds(10)))
            .Reduce("largest", (x, y) => x.Amount >= y.Amount ? x : y, new OrderStateSerializer())
            .SinkTo("maxima", _ => new CollectingSink<WindowResult<string, Order>>(maxima));
        all.Map("describe", o => $"{o.Customer} {o.Amount}")
            .FlatMap("words", line => line.Split(' '))
            .SinkTo("words-sink", _ => new CollectingSink<string>(words));

        await RunAsync(job);

        Assert.Equal(
            [("a", 0L, 8m), ("a", 10_000L, 2m), ("b", 0L, 1m)],
            maxima.Select(r => (r.Value.Key, r.Value.WindowStart, r.Value.Value.Amount)).Order());
        Assert.Equal(["1", "2", "3", "8", "a", "a", "a", "b"], words.Select(w => w.Value).Order(StringComparer.Ordinal));
        Assert.Equal(1_500L, words.Where(w => w.Value == "8").Select(w => w.Timestamp).Single());
    }

    [Fact]
    public void Build_RefusesALateDataSideOutputThatTheJobDoesNotRead()
    {
        var job = new JobBuilder();
        job.AddSource("orders", _ => new ListSource<Order>([]))
            .KeyBy(o => o.Customer)
            .Window(WindowAssigner.Tumbling(TimeSpan.FromSeconds(1)))
            .SideOutputLateData(new OutputTag<Order>("late"))
            .Aggregate("count", Aggregates.Count<Order>())
            .SinkTo("sink", _ => new CollectingSink<WindowResult<string, long>>(new()));

        var error = Assert.Throws<InvalidOperationException>(job.Build);
        Assert.Contains("'count' emits side output 'late'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SideOutput_OfAUnion_IsRefused_AndOneTagIdKeepsOneType()
    {
        var job = new JobBuilder();
        var a = job.AddSource("a", _ => new ListSource<Order>([]));
        var b = job.AddSource("b", _ => new ListSource<Order>([]));

        Assert.Throws<InvalidOperationException>(() => a.Union(b).DeadLetters());
        a.SideOutput(new OutputTag<Order>("x"));
        Assert.Throws<ArgumentException>(() => a.SideOutput(new OutputTag<string>("x")));
        Assert.Throws<ArgumentException>(() => new OutputTag<string>("no spaces"));
    }

    private static async Task RunAsync(JobBuilder job)
    {
        var runner = new JobRunner(job.Build(), new JobOptions("api-test") { BatchSize = 4 }, new InMemoryCheckpointStorage());
        var result = await runner.RunAsync(CancellationToken.None).WaitAsync(Deadline);
        Assert.Equal(JobState.Finished, runner.Status.State);
        Assert.Equal(1, result.Attempts);
    }
}
