using Etl.CheckpointStorage;
using Etl.Hosting.Configuration;
using Etl.Hosting.Http;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Checkpointing.Storage;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Runtime;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Etl.Hosting.Job;

/// <summary>
/// Runs a job inside the generic host: takes the job lock, prepares the job (for example its results table),
/// runs it with restarts, serves the HTTP endpoint, runs the job's monitors, and on SIGTERM stops with a final
/// savepoint (so no transaction stays prepared). With Etl:Standby it first waits as a standby for the job lock, serving
/// its endpoint meanwhile, and takes over when the active worker stops or dies. When the job ends (bounded input, stop-with-savepoint,
/// failure) it stops the host; <see cref="ExitCode"/> says how it went.
/// </summary>
internal sealed class JobService(
    WorkerOptions options, JobPlan plan, IFaultInjector faults, MeterProvider metrics, ILoggerFactory loggerFactory, IHostApplicationLifetime lifetime)
    : BackgroundService, IWorkerControl
{
    private static readonly TimeSpan LockUnreachable = TimeSpan.FromMinutes(1);
    private readonly ILogger _logger = loggerFactory.CreateLogger<JobService>();
    private readonly JobLockClaim _lock = new(plan.LockConnectionString, options.JobName, options.Standby, loggerFactory.CreateLogger<JobService>());
    private volatile JobRunner? _runner;
    private volatile bool _stopRequested;

    /// <summary>0 finished or stopped cleanly, 1 the job failed, 2 another worker owns the job (refused to start, or lost the lock to it).</summary>
    public int ExitCode { get; private set; }

    public CheckpointHistory History { get; } = new();

    public Exception? LatestFailure => _runner?.Status.LastFailure;

    public bool IsReady => _runner is { IsReady: true };

    public bool IsStandby => _lock.IsStandby;

    public WorkerStatus Status
    {
        get
        {
            var status = _runner?.Status;
            return new WorkerStatus(
                options.JobName, _lock.IsStandby ? "Standby" : status?.State.ToString() ?? "Starting", status?.Attempt ?? 0, status?.LastCompleted.Value ?? 0,
                status?.LastCompletedLocation, status?.LastFailure?.Message, Environment.ProcessId, _lock.ActiveWorker);
        }
    }

    public async Task<SavepointResult> TriggerSavepointAsync(CancellationToken cancellationToken)
    {
        var handle = await Running().TriggerSavepointAsync(cancellationToken);
        return new SavepointResult(handle.JobName, handle.Id.Value, handle.Location);
    }

    public async Task<SavepointResult> StopWithSavepointAsync(CancellationToken cancellationToken)
    {
        _stopRequested = true;
        _logger.StoppingWithSavepoint(options.JobName);
        var handle = await Running().StopWithSavepointAsync(cancellationToken);
        return new SavepointResult(handle.JobName, handle.Id.Value, handle.Location);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopRequested && _runner is { } runner && runner.Status.State == JobState.Running)
        {
            try
            {
                await StopWithSavepointAsync(cancellationToken);
                // The savepoint is committed; let the job wind down and report it before anything is cancelled.
                if (ExecuteTask is { } execution)
                {
                    await execution.WaitAsync(cancellationToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.StopWithSavepointFailed(options.JobName, e);
            }
        }

        await base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunJobAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Cancelled by shutdown after a failed or impossible stop-with-savepoint: the latest checkpoint stands.
        }
        catch (JobAlreadyRunningException e)
        {
            ExitCode = 2;
            await Console.Error.WriteLineAsync($"etl run: {e.Message}");
        }
        catch (WorkerOptionsException e)
        {
            ExitCode = 2;
            await Console.Error.WriteLineAsync($"etl run: {e.Message}");
        }
        catch (Exception e)
        {
            ExitCode = 1;
            _logger.Failed(options.JobName, e);
            await Console.Error.WriteLineAsync($"etl run: job '{options.JobName}' failed: {e.Message}");
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task RunJobAsync(CancellationToken stoppingToken)
    {
        var storage = CreateStorage();
        using var ownedStorage = storage as IDisposable;
        // A standby serves its endpoint while it waits, so that probes and `etl status` see it; an active worker binds
        // its endpoint only once it holds the lock, so that a refused second worker binds nothing.
        await using var standbyEndpoint = options.Standby ? await StartEndpointAsync(stoppingToken) : null;
        var jobLock = await _lock.TakeAsync(TimeSpan.Zero, stoppingToken);
        try
        {
            if (plan.PrepareAsync is { } prepare)
            {
                await prepare(stoppingToken);
            }

            if (_logger.IsEnabled(LogLevel.Information))
            {
                WorkerLog.Starting(
                    _logger, options.JobName, options.Parallelism, plan.Description, SettingParsers.FormatDuration(options.Checkpoints.Interval),
                    options.Checkpoints.Directory, SettingParsers.Kebab(options.Checkpoints.Mode), options.FromCheckpoint.Length > 0 ? options.FromCheckpoint : options.StartFresh ? "nothing (--start-fresh)" : "the newest checkpoint or savepoint, if any");
            }

            await using var endpoint = options.Standby ? null : await StartEndpointAsync(stoppingToken);
            using var monitors = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var monitorTasks = plan.Monitors.Select(monitor => Task.Run(() => monitor(monitors.Token), CancellationToken.None)).ToList();
            try
            {
                var restoreFrom = options.FromCheckpoint.Length > 0 ? options.FromCheckpoint : null;
                var startFresh = options.StartFresh;
                while (true)
                {
                    // The run lives under the lock: losing it cancels the run before anything else of it is written,
                    // and the storage refuses commits from then on (the loss may be seen between two checks).
                    var runner = NewRunner(new FencedCheckpointStorage(storage, options.JobName, jobLock.Lost), restoreFrom, startFresh);
                    using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, jobLock.Lost);
                    try
                    {
                        _runner = runner;
                        var result = await runner.RunAsync(run.Token);
                        var handle = result.FinishedWith;
                        if (_logger.IsEnabled(LogLevel.Information))
                        {
                            _logger.Finished(options.JobName, result.Attempts, handle.Kind.ToString(), handle.Id.Value, handle.Location);
                        }

                        Console.WriteLine($"finished: {handle.Kind.ToString().ToLowerInvariant()} {handle.Id.Value} at {handle.Location}");
                        return;
                    }
                    catch (OperationCanceledException) when (jobLock.Lost.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
                    {
                        // Stopped; only now may the lock be taken again. The next run resumes from what this one
                        // completed last (a checkpoint or savepoint it made durable before the loss).
                        _logger.JobLockLost(options.JobName, jobLock.LostBecause);
                        restoreFrom = runner.Status.LastCompletedLocation ?? restoreFrom;
                        // A fresh start that completed a checkpoint resumes from it: the epochs it committed are its own.
                        startFresh &= restoreFrom is null;
                    }

                    await jobLock.DisposeAsync();
                    _runner = null;
                    jobLock = await _lock.TakeAsync(LockUnreachable, stoppingToken);
                    // A standby that waited meanwhile restores the newest restore point: another worker may have run the job since.
                    restoreFrom = options.Standby ? null : restoreFrom;
                    _logger.JobLockRetaken(options.JobName, restoreFrom ?? "the newest checkpoint or savepoint, if any");
                }
            }
            finally
            {
                await monitors.CancelAsync();
                foreach (var monitor in monitorTasks)
                {
                    await QuietlyAsync(monitor);
                }
            }
        }
        finally
        {
            await jobLock.DisposeAsync();
        }
    }

    private async Task<WorkerEndpoint?> StartEndpointAsync(CancellationToken stoppingToken)
    {
        if (options.Http.Port < 0)
        {
            return null;
        }

        var endpoint = await WorkerEndpoint.StartAsync(options.Http, this, metrics, loggerFactory, stoppingToken);
        Console.WriteLine($"endpoint: {endpoint.Address}");
        return endpoint;
    }

    /// <summary>The storage the checkpoint directory's scheme names (a path or file://, s3://, hdfs://); a bad directory is a configuration error (exit 2).</summary>
    private ICheckpointStorage CreateStorage()
    {
        try
        {
            return CheckpointStorageFactory.Create(
                new CheckpointStorageOptions(
                    options.Checkpoints.Directory, options.SavepointDirectory, options.Checkpoints.NumRetained,
                    options.Checkpoints.DeleteOnCancellation ? CheckpointRetention.DeleteOnCancellation : CheckpointRetention.RetainOnCancellation),
                options.Checkpoints.S3, options.Checkpoints.Hdfs, loggerFactory, faults);
        }
        catch (ArgumentException e)
        {
            throw new WorkerOptionsException([$"Etl:Checkpoints:Directory: {e.Message.Split(" (Parameter '", 2)[0].TrimEnd('.')}."]);
        }
    }

    private JobRunner NewRunner(ICheckpointStorage storage, string? restoreFrom, bool startFresh) =>
        new(
            plan.Graph, RuntimeOptions(options) with { RestoreFrom = restoreFrom, StartFresh = startFresh }, new FaultInjectingCheckpointStorage(storage, faults),
            TimeProvider.System, loggerFactory, RestartPolicy.Create(options.Restart, TimeProvider.System), plan.CommittedEpochs, faults)
        {
            History = History,
        };

    /// <summary>The runtime's options from the host's settings.</summary>
    internal static JobOptions RuntimeOptions(WorkerOptions options) => new(options.JobName)
    {
        MaxParallelism = options.MaxParallelism,
        RestoreFrom = options.FromCheckpoint.Length > 0 ? options.FromCheckpoint : null,
        AllowNonRestoredState = options.AllowNonRestoredState,
        StartFresh = options.StartFresh,
        Checkpointing = options.Checkpoints.Checkpointing,
    };

    private async Task QuietlyAsync(Task monitor)
    {
        try
        {
            await monitor;
        }
        catch (OperationCanceledException)
        {
            // The monitors end by cancellation.
        }
        catch (Exception e)
        {
            // Monitoring only: a monitor that failed must not fail or hide the job's own outcome.
            _logger.MonitorFailed(options.JobName, e);
        }
    }

    private JobRunner Running() =>
        _runner ?? throw new InvalidOperationException(_lock.IsStandby
            ? $"This worker is a standby of job '{options.JobName}' and runs nothing; ask the active worker ({_lock.ActiveWorker})."
            : $"Job '{options.JobName}' has not started yet; try again once /health/ready answers 200.");
}
