using Etl.Pipeline;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Windows;

/// <summary>
/// The subtasks of one window operator, as the runtime would run them: records routed by key group,
/// watermarks broadcast, checkpoints taken from every subtask, restores with any parallelism.
/// </summary>
public sealed class WindowCluster : IAsyncDisposable
{
    private const int MaxParallelism = 16;
    private readonly List<OperatorHarness<Order, WindowResult<string, TraceAccumulator>>> _subtasks;
    private readonly List<(int Results, int DeadLetters)> _committed;

    private WindowCluster(List<OperatorHarness<Order, WindowResult<string, TraceAccumulator>>> subtasks)
    {
        _subtasks = subtasks;
        _committed = subtasks.Select(_ => (0, 0)).ToList();
    }

    public long LastWatermark { get; private set; } = long.MinValue;

    public static IOperator<Order, WindowResult<string, TraceAccumulator>> CreateOperator(StreamCase c) =>
        WindowedAggregate.Create(
            c.Assigner, (Order o) => o.Customer, KeyFormats.Strings, new TraceAggregate(),
            new WindowOptions<Order>(Order.Serialize) { AllowedLateness = TimeSpan.FromMilliseconds(c.Lateness) });

    public static async Task<WindowCluster> StartAsync(StreamCase c, int parallelism)
    {
        var subtasks = new List<OperatorHarness<Order, WindowResult<string, TraceAccumulator>>>();
        for (var i = 0; i < parallelism; i++)
        {
            subtasks.Add(await OperatorHarness.OpenAsync(CreateOperator(c), subtaskIndex: i, parallelism: parallelism, maxParallelism: MaxParallelism));
        }

        return new WindowCluster(subtasks);
    }

    public static async Task<WindowCluster> RestoreAsync(StreamCase c, IReadOnlyList<OperatorSnapshot> snapshots, int parallelism)
    {
        var subtasks = new List<OperatorHarness<Order, WindowResult<string, TraceAccumulator>>>();
        for (var i = 0; i < parallelism; i++)
        {
            subtasks.Add(await OperatorHarness.RestoreAsync(
                CreateOperator(c), new CheckpointId(1), snapshots, subtaskIndex: i, parallelism: parallelism, maxParallelism: MaxParallelism));
        }

        return new WindowCluster(subtasks);
    }

    public async Task RunAsync(IEnumerable<StreamStep> steps)
    {
        foreach (var step in steps)
        {
            if (step.Order is { } order)
            {
                var group = KeyGroups.Of(StableHash.Of(order.Customer), MaxParallelism);
                await _subtasks[KeyGroups.SubtaskOf(group, _subtasks.Count, MaxParallelism)].ProcessAsync(order, step.Time);
            }
            else
            {
                await WatermarkAsync(step.Time);
            }
        }
    }

    /// <summary>Broadcasts a watermark to every subtask, as the runtime does.</summary>
    public async Task WatermarkAsync(long watermark)
    {
        LastWatermark = Math.Max(LastWatermark, watermark);
        foreach (var subtask in _subtasks)
        {
            await subtask.WatermarkAsync(watermark);
        }
    }

    public async Task EndOfInputAsync()
    {
        foreach (var subtask in _subtasks)
        {
            await subtask.EndOfInputAsync();
        }
    }

    public async Task<IReadOnlyList<OperatorSnapshot>> SnapshotAsync()
    {
        var snapshots = new List<OperatorSnapshot>();
        for (var i = 0; i < _subtasks.Count; i++)
        {
            snapshots.Add(await _subtasks[i].SnapshotAsync(1));
            _committed[i] = (_subtasks[i].Output.Records.Count, _subtasks[i].Output.DeadLetters.Count);
        }

        return snapshots;
    }

    /// <summary>Results (all, or only those emitted before the last snapshot: the committed ones).</summary>
    public IEnumerable<Emission> Emissions(bool committedOnly = false) =>
        _subtasks.SelectMany((s, i) => s.Output.Records.Take(committedOnly ? _committed[i].Results : int.MaxValue)).Select(r =>
            new Emission(r.Value.Key, r.Value.WindowStart, r.Value.WindowEnd, r.Value.Value, r.Value.IsLateUpdate, r.Timestamp, r.Value.IsRetraction));

    public IEnumerable<DeadLetter> DeadLetters(bool committedOnly = false) =>
        _subtasks.SelectMany((s, i) => s.Output.DeadLetters.Take(committedOnly ? _committed[i].DeadLetters : int.MaxValue));

    public async ValueTask DisposeAsync()
    {
        foreach (var subtask in _subtasks)
        {
            await subtask.DisposeAsync();
        }
    }
}
