namespace Etl.Pipeline;

/// <summary>The side outputs the runtime knows by name.</summary>
public static class OutputTag
{
    /// <summary>
    /// The dead letters of an operator: what it collects with <see cref="ICollector{T}.CollectDeadLetter"/> and what
    /// reaches it from upstream. Unless a job reads this side output, dead letters follow the main output in-band to the
    /// sink, which writes them in the same epoch and transaction as the results around them (the PostgreSQL sink: its
    /// dead-letter table). Reading it (<c>stream.DeadLetters()</c>) diverts them into a stream of their own for any
    /// sink; a transactional sink then writes them exactly once in its own transactions.
    /// </summary>
    public static OutputTag<DeadLetter> DeadLetters { get; } = new("dead-letters");

    internal static string CheckId(string id)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 100 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"An output tag id must be 1-100 letters, digits, '.', '_' or '-'; got '{id}'.", nameof(id));
        }

        return id;
    }
}
