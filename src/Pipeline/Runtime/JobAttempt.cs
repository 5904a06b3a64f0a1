using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Graph;
using Microsoft.Extensions.Logging;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// One run of the job graph: fresh channels, fresh instances from the factories, a coordinator. Any
/// subtask failure fails the whole attempt: every subtask is cancelled and disposed.
/// </summary>
internal sealed class JobAttempt : ICheckpointParticipants
{
    private readonly JobGraph _graph;
    private readonly JobOptions _options;
    private readonly int _attempt;
    private readonly RestorePlan _restore;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly List<Subtask> _subtasks = [];
    private readonly ILogger _logger;
    private readonly IFaultInjector _faults;
    private int _sinksOpened;

    public JobAttempt(
        JobGraph graph, JobOptions options, int attempt, RestorePlan restore, ICheckpointStorage storage,
        TimeProvider time, ILoggerFactory loggerFactory, IFaultInjector faults)
    {
        _faults = faults;
        _graph = graph;
        _options = options;
        _attempt = attempt;
        _restore = restore;
        _time = time;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<JobAttempt>();
        Operators = [.. graph.Vertices.Select(v => new OperatorTopology(v.Uid, v.Parallelism))];
        Coordinator = new CheckpointCoordinator(
            options.JobName, options.Checkpointing, options.MaxParallelism, storage, this, time,
            loggerFactory.CreateLogger<CheckpointCoordinator>());
    }

    public CheckpointCoordinator Coordinator { get; }

    /// <summary>Every sink subtask of this attempt has opened, which it does after restoring (pending transactions committed).</summary>
    public bool SinksOpened => Volatile.Read(ref _sinksOpened) >= _graph.Vertices.Where(v => v.IsSink).Sum(v => v.Parallelism);

    public IReadOnlyList<OperatorTopology> Operators { get; }

    /// <summary>Runs until the job finished (returns how) or the attempt failed (throws).</summary>
    public async Task<CheckpointHandle> RunAsync(CancellationToken cancellationToken)
    {
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task>();
        try
        {
            CreateSubtasks();
            tasks.Add(Task.Run(() => Coordinator.RunAsync(cancellation.Token), CancellationToken.None));
            foreach (var subtask in _subtasks)
            {
                tasks.Add(Task.Run(() => RunSubtaskAsync(subtask, cancellation.Token), CancellationToken.None));
            }

            await UntilAllDoneOrOneFailedAsync(tasks, cancellation);
            return Coordinator.FinishedWith
                ?? throw new InvalidOperationException("Every subtask stopped but the job did not finish; this is a runtime bug.");
        }
        finally
        {
            await cancellation.CancelAsync();
            await Task.WhenAll(tasks.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
            foreach (var subtask in _subtasks)
            {
                try
                {
                    await subtask.DisposeAsync();
                }
                catch (Exception error)
                {
                    // Tolerated: the attempt is over either way, and one failed dispose must not leave the
                    // others (connections, prepared transactions' sessions) undisposed.
                    JobRunnerLog.DisposeFailed(_logger, subtask.Id.ToString(), error);
                }
            }
        }
    }

    public void TriggerSources(CheckpointBarrier barrier, bool suspend)
    {
        foreach (var subtask in _subtasks.Where(s => s.IsSource))
        {
            subtask.Mailbox.Post(new Mail(MailKind.TriggerCheckpoint, barrier, suspend));
        }
    }

    public void NotifyComplete(CheckpointId checkpointId) => PostAll(MailKind.NotifyComplete, checkpointId);

    public void NotifyAborted(CheckpointId checkpointId) => PostAll(MailKind.NotifyAborted, checkpointId);

    public void Stop() => PostAll(MailKind.Stop, CheckpointId.None);

    private void PostAll(MailKind kind, CheckpointId checkpointId)
    {
        foreach (var subtask in _subtasks)
        {
            subtask.Mailbox.Post(new Mail(kind, new CheckpointBarrier(checkpointId, 0, CheckpointKind.Checkpoint)));
        }
    }

    private void CreateSubtasks()
    {
        var wiring = new AttemptWiring(_graph.Edges, _options.ChannelCapacity, _options.BatchSize, _options.MaxParallelism);
        foreach (var vertex in _graph.Vertices)
        {
            for (var i = 0; i < vertex.Parallelism; i++)
            {
                var context = new OperatorContext(
                    _options.JobName, vertex.Uid, i, vertex.Parallelism, _options.MaxParallelism,
                    _restore.StateOf(vertex.Uid, i, vertex.Parallelism), _time, _loggerFactory)
                {
                    AllowNonRestoredState = _options.AllowNonRestoredState,
                };
                var environment = new SubtaskEnvironment(
                    context, Coordinator, _options.Checkpointing.Mode, new Mailbox(), _faults, () => Interlocked.Increment(ref _sinksOpened));
                var info = new SubtaskInfo(_options.JobName, vertex.Uid, i, vertex.Parallelism, _options.MaxParallelism, _attempt);
                _subtasks.Add(vertex.Accept(new SubtaskFactory(environment, info, wiring)));
            }
        }
    }

    private static async Task RunSubtaskAsync(Subtask subtask, CancellationToken cancellationToken)
    {
        try
        {
            await subtask.RunAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new SubtaskFailedException(subtask.Id, error);
        }
    }

    private static async Task UntilAllDoneOrOneFailedAsync(List<Task> tasks, CancellationTokenSource cancellation)
    {
        var remaining = new List<Task>(tasks);
        while (remaining.Count > 0)
        {
            var done = await Task.WhenAny(remaining);
            remaining.Remove(done);
            if (!done.IsCompletedSuccessfully)
            {
                // First failure wins: cancel everyone else and report it (not their cancellations).
                await cancellation.CancelAsync();
                await done;
            }
        }
    }
}
