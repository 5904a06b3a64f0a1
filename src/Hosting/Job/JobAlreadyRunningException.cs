namespace Etl.Hosting.Job;

/// <summary>Another worker holds this job's lock: stop it first, or give this worker a different job name.</summary>
internal sealed class JobAlreadyRunningException : InvalidOperationException
{
    public JobAlreadyRunningException()
    {
    }

    public JobAlreadyRunningException(string message)
        : base(message)
    {
    }

    public JobAlreadyRunningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
