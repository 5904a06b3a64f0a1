using System.Collections.Concurrent;
using Etl.Pipeline;

namespace Etl.Tests.Unit.Api;

/// <summary>Records what reaches it, records and in-band dead letters, into queues shared by its subtasks.</summary>
public sealed class CollectingSink<T>(ConcurrentQueue<StreamRecord<T>> records, ConcurrentQueue<DeadLetter>? deadLetters = null) : ISink<T>
{
    public ValueTask WriteAsync(StreamRecord<T> input, CancellationToken cancellationToken)
    {
        records.Enqueue(input);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        if (deadLetters is null)
        {
            throw new DeadLetterNotSupportedException(nameof(CollectingSink<T>), deadLetter);
        }

        deadLetters.Enqueue(deadLetter);
        return ValueTask.CompletedTask;
    }
}
