using System.Diagnostics;
using Etl.Pipeline;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Bench;

/// <summary>
/// The source subtasks of one run (<c>--parallelism</c>): what they emit together (time and CPU at the first record and
/// when <paramref name="target"/> records are out), and their polls and snapshots added up.
/// </summary>
internal sealed class EndToEndTimedSources(long target)
{
    private readonly List<EndToEndTimedSource> _subtasks = [];
    private long _records;

    public bool Opened
    {
        get
        {
            lock (_subtasks)
            {
                return _subtasks.Count > 0;
            }
        }
    }

    public long Records => Interlocked.Read(ref _records);

    public long FirstRecordTicks { get; private set; }

    public long TargetTicks { get; private set; }

    public TimeSpan FirstRecordCpu { get; private set; }

    /// <summary>Checkpoints seen (every subtask snapshots once per checkpoint).</summary>
    public int Snapshots => Each(s => s.Snapshots).DefaultIfEmpty().Max();

    public TimeSpan Stall => TimeSpan.FromTicks(Each(s => s.Stall.Ticks).Sum());

    public TimeSpan LongestSnapshot => Each(s => s.LongestSnapshot).DefaultIfEmpty().Max();

    public TimeSpan InPoll => TimeSpan.FromTicks(Each(s => s.InPoll.Ticks).Sum());

    public long EmptyPolls => Each(s => s.EmptyPolls).Sum();

    public long Polls => Each(s => s.Polls).Sum();

    public ISource<Order> Wrap(ISource<Order> inner)
    {
        var timed = new EndToEndTimedSource(inner, this);
        lock (_subtasks)
        {
            _subtasks.Add(timed);
        }

        return timed;
    }

    public void ResetStall()
    {
        foreach (var s in Each(s => s))
        {
            s.ResetStall();
        }
    }

    internal void Count()
    {
        var records = Interlocked.Increment(ref _records);
        if (records == 1)
        {
            FirstRecordTicks = Stopwatch.GetTimestamp();
            FirstRecordCpu = ProcessCpu.Now();
        }

        if (records == target)
        {
            TargetTicks = Stopwatch.GetTimestamp();
        }
    }

    private List<TResult> Each<TResult>(Func<EndToEndTimedSource, TResult> figure)
    {
        lock (_subtasks)
        {
            return [.. _subtasks.Select(figure)];
        }
    }
}
