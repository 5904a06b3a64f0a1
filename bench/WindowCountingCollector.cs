using Etl.Pipeline;

namespace Etl.Bench;

/// <summary>Counts what a window operator emits and keeps a checksum so the work cannot be optimised away.</summary>
internal sealed class WindowCountingCollector<T> : ICollector<T>
{
    public long Results { get; private set; }

    public long DeadLetters { get; private set; }

    public void Collect(T value, long timestamp) => Results++;

    public void CollectDeadLetter(DeadLetter deadLetter) => DeadLetters++;
}
