namespace Etl.Pipeline.Operators;

/// <summary>
/// Maps each record, and turns a record the map rejects (throws) into a dead letter with reason
/// <see cref="DeadLetterReasons.Validation"/>: a bad record must not fail the epoch, or every replay would fail again.
/// </summary>
internal sealed class ParseOperator<TIn, TOut>(Func<TIn, TOut> parse, Func<TIn, byte[]> rawValue) : IOperator<TIn, TOut>
{
    public ValueTask ProcessAsync(StreamRecord<TIn> input, ICollector<TOut> output, CancellationToken cancellationToken)
    {
        TOut value;
        try
        {
            value = parse(input.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any exception rejects the record, as a throwing Kafka deserializer does: it is the input that is bad.
            output.CollectDeadLetter(new DeadLetter(
                Source: null, Key: null, Value: rawValue(input.Value), Reason: DeadLetterReasons.Validation, Error: e.Message, Timestamp: input.Timestamp));
            return ValueTask.CompletedTask;
        }

        output.Collect(value, input.Timestamp);
        return ValueTask.CompletedTask;
    }
}
