namespace Etl.Hosting.Job;

/// <summary>
/// The job lock's session ended while the job ran: nothing more of this run may be written. The worker stops
/// the run and re-takes the lock (or exits if another worker took it).
/// </summary>
internal sealed class JobLockLostException : InvalidOperationException
{
    public JobLockLostException()
    {
    }

    public JobLockLostException(string message)
        : base(message)
    {
    }

    public JobLockLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
