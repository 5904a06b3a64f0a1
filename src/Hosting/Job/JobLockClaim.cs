using Microsoft.Extensions.Logging;

namespace Etl.Hosting.Job;

/// <summary>
/// Takes the job lock as this worker's role says: an active worker waits briefly and is refused (exit 2) while another
/// worker holds it; a standby (Etl:Standby) waits until it is free (the active worker stopped or died) and meanwhile
/// reports itself, and whom it waits for, on stdout, in the log and through <see cref="IsStandby"/> and
/// <see cref="ActiveWorker"/> (GET /status, /health/ready).
/// </summary>
internal sealed class JobLockClaim(string connectionString, string job, bool standby, ILogger logger)
{
    private static readonly TimeSpan ActiveWait = TimeSpan.FromSeconds(10);

    /// <summary>How long a waiting standby tolerates losing PostgreSQL (a restart) before it fails.</summary>
    private static readonly TimeSpan WaitingUnreachable = TimeSpan.FromMinutes(1);

    private volatile bool _waiting;
    private volatile string? _activeWorker;

    /// <summary>True while a standby waits for the lock.</summary>
    public bool IsStandby => _waiting;

    /// <summary>The lock's holder as PostgreSQL names it (<c>etl-worker JOB pid N from HOST</c>) while a standby waits for it.</summary>
    public string? ActiveWorker => _waiting ? _activeWorker : null;

    /// <param name="unreachable">How long PostgreSQL may be unreachable before giving up (zero: the first connection error is thrown).</param>
    public async Task<JobLock> TakeAsync(TimeSpan unreachable, CancellationToken cancellationToken)
    {
        if (!standby)
        {
            return await JobLock.AcquireAsync(connectionString, job, ActiveWait, unreachable, cancellationToken);
        }

        _waiting = true;
        try
        {
            var jobLock = await JobLock.AwaitAsync(
                connectionString,
                job,
                holder =>
                {
                    _activeWorker = holder;
                    logger.StandbyWaiting(job, holder);
                    Console.WriteLine($"standby: waiting for the job lock of '{job}' (held by {holder})");
                },
                unreachable,
                WaitingUnreachable,
                cancellationToken);
            if (_activeWorker is { } previous)
            {
                logger.TakingOver(job, previous);
                Console.WriteLine($"taking over: job '{job}' from {previous}");
            }

            return jobLock;
        }
        finally
        {
            _waiting = false;
            _activeWorker = null;
        }
    }
}
