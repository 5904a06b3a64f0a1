using System.Text.Json;
using Etl.Pipeline;
using Etl.Pipeline.Checkpointing;
using Etl.Pipeline.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Etl.Hosting.Http;

/// <summary>
/// The operator's view of the job on the worker endpoint: the page at GET / (static files embedded in this
/// assembly, no CDN) and the JSON it polls, GET /job, /job/checkpoints and /job/throughput (README "The job
/// page"). All read-only. A loop samples the metric totals once a second for the rates and the plot, and
/// remembers the latest failure (a restarted attempt no longer reports the one before it).
/// </summary>
internal sealed class JobPage : IAsyncDisposable
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(1);

    private readonly IWorkerControl _control;
    private readonly TimeProvider _time;
    private readonly JobPageReadings _readings = new();
    private readonly JobPageSampler _sampler = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sampling;
    private volatile FailureView? _latestFailure;

    public JobPage(IWorkerControl control, TimeProvider time)
    {
        _control = control;
        _time = time;
        Sample();
        _sampling = Task.Run(() => SampleAsync(_stopping.Token), CancellationToken.None);
    }

    public void Map(WebApplication app)
    {
        app.MapGet("/", context => JobPageFiles.WriteAsync(context, "index.html"));
        app.MapGet("/page/{file}", context => JobPageFiles.WriteAsync(context, (string)context.Request.RouteValues["file"]!));
        app.MapGet("/job", context => WriteAsync(context, JsonSerializer.Serialize(Job(), JobPageJsonContext.Default.JobView)));
        app.MapGet("/job/checkpoints", context => WriteAsync(context, JsonSerializer.Serialize(Checkpoints(), JobPageJsonContext.Default.CheckpointsView)));
        app.MapGet("/job/throughput", context => WriteAsync(context, JsonSerializer.Serialize(new ThroughputView(_sampler.Series()), JobPageJsonContext.Default.ThroughputView)));
    }

    public JobView Job()
    {
        var status = _control.Status;
        var now = _time.GetUtcNow();
        var first = _control.History.FirstAttempt;
        var current = _control.History.CurrentAttempt;
        var rates = _sampler.Current();
        var recordsIn = _readings.RecordsInTotals;
        var recordsOut = _readings.RecordsOutTotals;
        var backPressure = _readings.BackPressuredMicroseconds;
        var operators = (current?.Operators ?? []).Select(o => new OperatorView(
            o.OperatorId, o.Parallelism, recordsIn.GetValueOrDefault(o.OperatorId), recordsOut.GetValueOrDefault(o.OperatorId),
            rates.RecordsIn.GetValueOrDefault(o.OperatorId), rates.RecordsOut.GetValueOrDefault(o.OperatorId),
            Enumerable.Range(0, o.Parallelism).Select(i => rates.BackPressuredMsPerSecond.GetValueOrDefault((o.OperatorId, i))).DefaultIfEmpty().Max(),
            [.. Enumerable.Range(0, o.Parallelism).Select(i => new SubtaskBackPressureView(
                i, backPressure.GetValueOrDefault((o.OperatorId, i)) / 1000.0, rates.BackPressuredMsPerSecond.GetValueOrDefault((o.OperatorId, i))))]));
        var checkpointLag = _readings.CheckpointLagByPartition;
        var readLag = _readings.ReadLagByPartition;
        var lag = checkpointLag.Keys.Union(readLag.Keys).Order()
            .Select(p => new PartitionLagView(p.Topic, p.Partition, checkpointLag.TryGetValue(p, out var c) ? c : null, readLag.TryGetValue(p, out var r) ? r : null));
        var deadLetters = _readings.DeadLetterTotals.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DeadLetterView(d.Key, d.Value));
        return new JobView(
            status.Job, status.State, status.Attempt, status.ProcessId, now, first?.StartedAt, first is null ? 0 : (now - first.StartedAt).TotalSeconds,
            current?.StartedAt, current?.Operators.Select(o => o.Parallelism).DefaultIfEmpty().Max() ?? 0, Restored(current), status.LastCompletedCheckpoint,
            _latestFailure, [.. operators], [.. lag], [.. deadLetters]);
    }

    public CheckpointsView Checkpoints()
    {
        var history = _control.History;
        var rows = history.Snapshot();
        return new CheckpointsView(
            _control.Status.Job, history.CompletedCount, history.FailedCount, rows.Count(r => r.Status == CheckpointStatus.InProgress),
            Restored(history.CurrentAttempt), [.. rows.Select(Row)]);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _sampling;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        _stopping.Dispose();
        _readings.Dispose();
    }

    /// <summary>One sample now: at start, then once a second.</summary>
    private void Sample()
    {
        _readings.Observe();
        _sampler.Take(_time.GetUtcNow(), _readings);
        if (_control.LatestFailure is { } failure)
        {
            var attempt = _control.Status.Attempt;
            if (_latestFailure is not { } seen || seen.Message != failure.Message || seen.Attempt != attempt)
            {
                var (reason, message) = Describe(failure);
                _latestFailure = new FailureView(reason, message, attempt, _time.GetUtcNow());
            }
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken))
        {
            Sample();
        }
    }

    private static (string Reason, string Message) Describe(Exception failure) => failure switch
    {
        SubtaskFailedException subtask => ($"subtask {subtask.Subtask} failed: {subtask.InnerException?.GetType().Name ?? nameof(SubtaskFailedException)}", failure.Message),
        CheckpointFailedException checkpoint => ($"checkpoint failed: {checkpoint.Reason}", failure.Message),
        _ => (failure.GetType().Name, failure.Message),
    };

    private static RestoredView? Restored(JobAttemptInfo? attempt) =>
        attempt?.RestoredFrom is { } from ? new RestoredView(from.Id.Value, Kind(from.Kind), from.TakenAt) : null;

    private static CheckpointRow Row(CheckpointStats stats) => new(
        stats.Id.Value, Kind(stats.Kind), stats.Status switch
        {
            CheckpointStatus.InProgress => "in-progress",
            CheckpointStatus.Completed => "completed",
            _ => "failed",
        },
        stats.Attempt, stats.TriggeredAt, stats.DurationMs, stats.SizeBytes, stats.Location, stats.Acknowledged, stats.Subtasks,
        stats.SlowestAck is { } ack ? new SlowestAckView(ack.Subtask.ToString(), ack.AfterMs) : null, stats.SinkPrepareMs, stats.SinkCommitMs,
        stats.Failure);

    private static string Kind(CheckpointKind kind) => kind == CheckpointKind.Savepoint ? "savepoint" : "checkpoint";

    private static Task WriteAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(json);
    }
}
