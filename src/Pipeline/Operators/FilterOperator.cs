namespace Etl.Pipeline.Operators;

/// <summary>Forwards the records the predicate accepts; stateless.</summary>
internal sealed class FilterOperator<T>(Func<T, bool> predicate) : IOperator<T, T>
{
    public ValueTask ProcessAsync(StreamRecord<T> input, ICollector<T> output, CancellationToken cancellationToken)
    {
        if (predicate(input.Value))
        {
            output.Collect(input.Value, input.Timestamp);
        }

        return ValueTask.CompletedTask;
    }
}
