namespace Etl.Pipeline.State;

/// <summary>
/// Restored state does not fit the operator that should take it (for example a window operator whose windows
/// were configured differently when the checkpoint was taken). Restarting cannot help: the runtime fails the
/// job at once instead of restarting it. The message names the operator, the checkpoint, what changed, and
/// what the user can do.
/// </summary>
public sealed class IncompatibleStateException : Exception
{
    public IncompatibleStateException()
    {
    }

    public IncompatibleStateException(string message) : base(message)
    {
    }

    public IncompatibleStateException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The first <see cref="IncompatibleStateException"/> in <paramref name="error"/>'s causes, or null.</summary>
    public static IncompatibleStateException? FindIn(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is IncompatibleStateException incompatible)
            {
                return incompatible;
            }

            if (e is AggregateException aggregate)
            {
                return aggregate.InnerExceptions.Select(FindIn).FirstOrDefault(i => i is not null);
            }
        }

        return null;
    }
}
