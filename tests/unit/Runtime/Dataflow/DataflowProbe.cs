using System.Collections.Concurrent;
using Etl.Pipeline;

namespace Etl.Tests.Unit.Runtime.Dataflow;

/// <summary>What the subtasks of one dataflow test report back.</summary>
public sealed class DataflowProbe
{
    private int _disposed;
    private int _completions;

    public int Disposed => Volatile.Read(ref _disposed);

    public ConcurrentQueue<long> Written { get; } = new();

    public ConcurrentQueue<DeadLetter> DeadLetters { get; } = new();

    public ConcurrentQueue<Watermark> Watermarks { get; } = new();

    public TaskCompletionSource ThreeCheckpointsCompleted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void OnDisposed() => Interlocked.Increment(ref _disposed);

    public void OnCheckpointComplete()
    {
        if (Interlocked.Increment(ref _completions) >= 3)
        {
            ThreeCheckpointsCompleted.TrySetResult();
        }
    }
}
