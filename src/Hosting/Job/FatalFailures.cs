namespace Etl.Worker.Job;

/// <summary>
/// Failures a restart cannot fix, seen by the job's own wrappers (the runtime's restart strategy is not
/// told which error failed an attempt, so the wrappers record it here for <see cref="RestartPolicy"/>).
/// </summary>
internal sealed class FatalFailures
{
    private Exception? _first;

    public Exception? First => Volatile.Read(ref _first);

    /// <summary>Records <paramref name="error"/> when it is fatal; returns false so it can sit in an exception filter.</summary>
    public bool Observe(Exception error)
    {
        if (RestartPolicy.IsFatal(error))
        {
            Interlocked.CompareExchange(ref _first, error, null);
        }

        return false;
    }
}
