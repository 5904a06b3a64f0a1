using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Graph;
using Etl.Pipeline.Restart;
using Etl.Pipeline.State;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Runs a job: restores from the latest checkpoint (or <see cref="JobOptions.RestoreFrom"/>), runs
/// attempts, and on a failed attempt asks the restart strategy whether and when to restart from the
/// latest checkpoint. Triggers checkpoints and savepoints on the running attempt.
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
    private volatile JobAttempt? _current;
    private volatile JobStatus _status = new(JobState.Created, 0, CheckpointId.None, null, null);

    /// <param name="restartStrategy">Decides after a failed attempt (see <see cref="RestartStrategies"/>); null never restarts.</param>
    public JobRunner(
        JobGraph graph, JobOptions options, ICheckpointStorage storage, TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null, IRestartStrategy? restartStrategy = null)
    {
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
    }

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

    /// <summary>Runs until the job finishes (bounded input, stop-with-savepoint), fails beyond the restart strategy, or is cancelled.</summary>
    public async Task<JobResult> RunAsync(CancellationToken cancellationToken)
    {
        _options.Validate();
        foreach (var vertex in _graph.Vertices.Where(v => v.Parallelism > _options.MaxParallelism))
        {
            throw new ArgumentException($"Operator '{vertex.Uid}' has parallelism {vertex.Parallelism}, above MaxParallelism {_options.MaxParallelism}.");
        }

        var initial = _options.RestoreFrom is { } location
            ? await _storage.LoadAsync(location, cancellationToken)
            : await LatestAsync(cancellationToken);
        var completedInRun = false;
        var restartDelay = TimeSpan.Zero;
        for (var attempt = 1; ; attempt++)
        {
            // After a checkpoint of this run completed, it is newer than anything restored at start.
            var checkpoint = completedInRun ? await LatestAsync(cancellationToken) ?? initial : initial;
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

            JobRunnerLog.AttemptStarting(_logger, _options.JobName, attempt, checkpoint is null ? "nothing (fresh start)" : $"checkpoint {checkpoint.Id}");
            var run = new JobAttempt(_graph, _options, attempt, plan, _storage, _time, _loggerFactory);
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
            catch (Exception error)
            {
                completedInRun |= run.Coordinator.CompletedACheckpoint;
                // Restored state that does not fit an operator fails every attempt alike, as a checkpoint that does
                // not fit the job (above) does: no restart loop.
                var decision = IncompatibleStateException.FindIn(error) is { } incompatible
                    ? RestartDecision.Fail(attempt, $"not restarting: the restored state does not fit the job ({incompatible.Message})")
                    : _restartStrategy.OnFailure();
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

    /// <summary>Takes a savepoint; its <see cref="CheckpointHandle.Location"/> is restorable with <see cref="JobOptions.RestoreFrom"/>.</summary>
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

    private async Task<CheckpointData?> LatestAsync(CancellationToken cancellationToken)
    {
        var latest = await _storage.LatestAsync(_options.JobName, cancellationToken);
        foreach (var skipped in latest.Skipped)
        {
            JobRunnerLog.CheckpointSkipped(_logger, _options.JobName, skipped.Location, skipped.Reason);
        }

        return latest.Checkpoint;
    }

    private void SetStatus(JobState state, int attempt, Exception? failure, JobAttempt run)
    {
        var last = run.Coordinator.LastCompleted;
        var previous = _status;
        _status = new JobStatus(
            state, attempt, last?.Id ?? previous.LastCompleted, last?.Location ?? previous.LastCompletedLocation, failure ?? previous.LastFailure);
    }
}
