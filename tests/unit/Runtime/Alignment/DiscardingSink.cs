using Etl.Pipeline;

namespace Etl.Tests.Unit.Runtime.Alignment;

public sealed class DiscardingSink<T> : ISink<T>
{
    public ValueTask WriteAsync(StreamRecord<T> input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
