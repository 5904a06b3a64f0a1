namespace Etl.Pipeline.Operators;

/// <summary>One record in, zero or more out, each with the input's event time; stateless.</summary>
internal sealed class FlatMapOperator<TIn, TOut>(Func<TIn, IEnumerable<TOut>> flatMap) : IOperator<TIn, TOut>
{
    public ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<TOut> output, CancellationToken cancellationToken)
    {
        foreach (var value in flatMap(input.Value))
        {
            output.Collect(value, input.Timestamp);
        }

        return ValueTask.CompletedTask;
    }
}
