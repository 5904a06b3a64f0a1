namespace Etl.Worker.Job;

/// <summary>
/// Ready = every sink subtask of the current attempt has opened, which happens after the restore (pending
/// transactions committed, lingering ones rolled back). A restart starts a new attempt and resets it.
/// </summary>
internal sealed class JobReadiness(int sinkSubtasks)
{
    // Guards both fields: sink subtasks open concurrently.
    private readonly Lock _lock = new();
    private int _attempt;
    private int _opened;

    public void SinkOpened(int attempt)
    {
        lock (_lock)
        {
            if (attempt > _attempt)
            {
                _attempt = attempt;
                _opened = 0;
            }

            if (attempt == _attempt)
            {
                _opened++;
            }
        }
    }

    public bool IsReady(int currentAttempt)
    {
        lock (_lock)
        {
            return currentAttempt == _attempt && _opened >= sinkSubtasks;
        }
    }
}
