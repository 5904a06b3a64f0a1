using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Restart;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Runs a job: restores from the newest restore point (a checkpoint or savepoint; or <see cref="JobOptions.RestoreFrom"/>;
/// see <see cref="RestorePoints"/>), runs attempts, and on a failed attempt asks the restart strategy whether and when
/// to restart from the newest restore point. Triggers checkpoints and savepoints on the running attempt.
/// </summary>
public sealed class JobRunner
{
    private readonly JobGraph _graph;
    private readonly JobOptions _options;
    private readonly ICheckpointStorage _storage;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly IRestartStrategy _restartStrategy;
    private readonly ICommittedEpochs? _committedEpochs;
    private readonly IFaultInjector _faults;
    private volatile JobAttempt? _current;
    private volatile JobStatus _status = new(JobState.Created, 0, CheckpointId.None, null, null);

    /// <param name="restartStrategy">Decides after a failed attempt (see <see cref="RestartStrategies"/>); null never restarts.</param>
    /// <param name="committedEpochs">What the sinks committed outside, checked against the restore point at start; null checks nothing.</param>
    /// <param name="faults">Crash tests only: the fault points the runtime passes (sink prepared, sink committed); null never fires.</param>
    public JobRunner(
        JobGraph graph, JobOptions options, ICheckpointStorage storage, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null, IRestartStrategy? restartStrategy = null, ICommittedEpochs? committedEpochs = null,
        IFaultInjector? faults = null)
    {
        _faults = faults ?? FaultInjector.None;
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        _graph = graph;
        _options = options;
        _storage = storage;
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<JobRunner>();
        _restartStrategy = restartStrategy
            ?? RestartStrategies.Create(new RestartStrategyOptions { Kind = RestartStrategyKind.None }, _time);
        _committedEpochs = committedEpochs;
    }

    /// <summary>The recent checkpoints and attempts of this runner, for the operator's view; a runner makes its own unless given one.</summary>
    public CheckpointHistory History { get; init; } = new();

    public JobStatus Status
    {
        get
        {
            var status = _status;
            return _current?.Coordinator.LastCompleted is { } last && last.Id > status.LastCompleted
                ? status with { LastCompleted = last.Id, LastCompletedLocation = last.Location }
                : status;
        }
    }

    /// <summary>
    /// The job runs and every sink subtask of the current attempt has opened, which a sink does after restoring
    /// (pending transactions committed, lingering ones rolled back); false while restoring or restarting.
    /// </summary>
    public bool IsReady => _current is { } run && _status.State == JobState.Running && run.SinksOpened;

    /// <summary>Runs until the job finishes (bounded input, stop-with-savepoint), fails beyond the restart strategy, or is cancelled.</summary>
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        foreach (var vertex in _graph.Vertices.Where(v => v.Parallelism > _options.MaxParallelism))
        {
            throw new ArgumentException($"Operator '{vertex.Uid}' has parallelism {vertex.Parallelism}, above MaxParallelism {_options.MaxParallelism}.");
        }

        var restorePoints = new RestorePoints(_options, _storage, _committedEpochs, _logger);
        CheckpointData? initial;
        try
        {
            initial = await restorePoints.ForStartAsync(cancellationToken);
        }
        catch (Exception error) when (error is NoReadableCheckpointException or CommittedBeyondRestorePointException)
        {
            // Restarting cannot change what storage and the sinks hold.
            _status = _status with { State = JobState.Failed, LastFailure = error };
            throw;
        }

        var restartDelay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            var checkpoint = attempt == 1 ? initial : await restorePoints.ForRestartAsync(cancellationToken);
            RestorePlan plan;
            try
            {
                plan = RestorePlan.For(_graph, checkpoint, _options);
            }
            catch (InvalidOperationException error)
            {
                // The checkpoint does not fit the job: restarting cannot help.
                _status = _status with { State = JobState.Failed, Attempt = attempt, LastFailure = error };
                throw;
            }

            JobRunnerLog.AttemptStarting(
                _logger, _options.JobName, attempt, checkpoint is null ? "nothing (fresh start)" : $"{checkpoint.Kind.ToString().ToLowerInvariant()} {checkpoint.Id}");
            History.AttemptStarted(new JobAttemptInfo(
                attempt, _time.GetUtcNow(), [.. _graph.Vertices.Select(v => new OperatorParallelism(v.Uid, v.Parallelism))],
                checkpoint is null ? null : new RestoredPoint(checkpoint.Id, checkpoint.Kind, DateTimeOffset.FromUnixTimeMilliseconds(checkpoint.TimestampUnixMs))));
            var run = new JobAttempt(_graph, _options, attempt, plan, _storage, _time, _loggerFactory, _faults, History);
            _current = run;
            SetStatus(JobState.Running, attempt, null, run);
            try
            {
                var finishedWith = await run.RunAsync(cancellationToken);
                SetStatus(JobState.Finished, attempt, null, run);
                JobRunnerLog.Finished(_logger, _options.JobName, finishedWith.Kind, finishedWith.Id, finishedWith.Location);
                return new JobResult(finishedWith, attempt);
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Whatever a subtask threw while being cancelled, the job was cancelled: no restart.
                SetStatus(JobState.Cancelled, attempt, null, run);
                await _storage.OnJobCancelledAsync(_options.JobName, CancellationToken.None);
                throw new OperationCanceledException($"Job '{_options.JobName}' was cancelled.", cancellationToken);
            }
            catch (Exception error) when (run.Coordinator.FinishedWith is { Kind: CheckpointKind.Savepoint } stopped)
            {
                // Stop-with-savepoint: the savepoint is durable, but a commit failed after it. The job was asked to stop,
                // so it does not restart; the savepoint is the newest restore point and the next start commits the rest.
                var incomplete = new StopWithSavepointIncompleteException(stopped, error);
                SetStatus(JobState.Failed, attempt, incomplete, run);
                throw incomplete;
            }
            catch (Exception error)
            {
                // Restored state that does not fit an operator fails every attempt alike, as a checkpoint that does
                // not fit the job (above) does: no restart loop.
                var decision = IncompatibleStateException.FindIn(error) is { } incompatible
                    ? RestartDecision.Fail(attempt, $"not restarting: the restored state does not fit the job ({incompatible.Message})")
                    : _restartStrategy.OnFailure(error);
                JobRunnerLog.AttemptFailed(_logger, _options.JobName, attempt, decision.ShouldRestart, decision.Delay, decision.Reason, error);
                if (!decision.ShouldRestart)
                {
                    SetStatus(JobState.Failed, attempt, error, run);
                    throw;
                }

                SetStatus(JobState.Restarting, attempt, error, run);
                restartDelay = decision.Delay;
            }
            finally
            {
                _current = null;
            }

            if (restartDelay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(restartDelay, _time, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    _status = _status with { State = JobState.Cancelled };
                    await _storage.OnJobCancelledAsync(_options.JobName, CancellationToken.None);
                    throw;
                }
            }
        }
    }

    /// <summary>Takes a checkpoint now (outside the periodic schedule) and returns it once durable.</summary>
    public Task<CheckpointHandle> TriggerCheckpointAsync(CancellationToken cancellationToken) =>
        Running().Coordinator.TriggerAsync(CheckpointKind.Checkpoint, stopAfter: false).WaitAsync(cancellationToken);

    /// <summary>
    /// Takes a savepoint and commits its side effects as a checkpoint does: it becomes the job's newest restore point.
    /// Its <see cref="CheckpointHandle.Location"/> is restorable with <see cref="JobOptions.RestoreFrom"/>.
    /// </summary>
    public Task<CheckpointHandle> TriggerSavepointAsync(CancellationToken cancellationToken) =>
        Running().Coordinator.TriggerAsync(CheckpointKind.Savepoint, stopAfter: false).WaitAsync(cancellationToken);

    /// <summary>
    /// Takes a savepoint with sources suspended after its barrier, commits it (notifies completion),
    /// then stops the job: <see cref="RunAsync"/> returns with the savepoint. If the savepoint fails,
    /// the job keeps running.
    /// </summary>
    public Task<CheckpointHandle> StopWithSavepointAsync(CancellationToken cancellationToken) =>
        Running().Coordinator.TriggerAsync(CheckpointKind.Savepoint, stopAfter: true).WaitAsync(cancellationToken);

    private JobAttempt Running() =>
        _current ?? throw new InvalidOperationException($"Job '{_options.JobName}' is not running (state {_status.State}); try again once it runs.");

    private void SetStatus(JobState state, int attempt, Exception? failure, JobAttempt run)
    {
        var last = run.Coordinator.LastCompleted;
        var previous = _status;
        _status = new JobStatus(
            state, attempt, last?.Id ?? previous.LastCompleted, last?.Location ?? previous.LastCompletedLocation, failure ?? previous.LastFailure);
    }
}
