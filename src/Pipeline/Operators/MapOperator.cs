namespace Etl.Pipeline.Operators;

/// <summary>One record in, one record out, same event time; stateless.</summary>
internal sealed class MapOperator<TIn, TOut>(Func<TIn, TOut> map) : IOperator<TIn, TOut>
{
    public ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<TOut> output, CancellationToken cancellationToken)
    {
        output.Collect(map(input.Value), input.Timestamp);
        return ValueTask.CompletedTask;
    }
}
