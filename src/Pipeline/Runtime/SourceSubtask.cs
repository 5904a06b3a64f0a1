using Etl.Pipeline.Metrics;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// Polls a source in a loop and, between two polls, handles the mailbox: a checkpoint trigger
/// snapshots the source and emits the barrier, so every snapshot sits between two records.
/// </summary>
internal sealed class SourceSubtask<T>(SubtaskEnvironment environment, ISource<T> source, OutputRouter<T> output)
    : Subtask(environment)
{
    private bool _ended;
    private CheckpointId? _suspendedFor;

    public override bool IsSource => true;

    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        await source.OpenAsync(Environment.Context, cancellationToken);
        while (true)
        {
            // A source that returns from every poll at once would never notice a cancelled attempt otherwise.
            cancellationToken.ThrowIfCancellationRequested();
            while (Mailbox.TryTake(out var mail))
            {
                if (!await HandleMailAsync(mail, cancellationToken))
                {
                    return;
                }
            }

            if (_ended || _suspendedFor is not null)
            {
                await Mailbox.WaitAsync(cancellationToken);
                continue;
            }

            var result = await source.PollAsync(output, cancellationToken);
            PipelineMetrics.RecordsEmitted(Id.OperatorId, output.TakeCollectedCount());
            if (result == SourcePollResult.EndOfInput)
            {
                _ended = true;
                output.Broadcast(StreamElement<T>.EndOfInput);
                await output.FlushAsync(cancellationToken);
                Environment.Coordinator.ReportEndOfInput(Id);
                continue;
            }

            await output.FlushAsync(cancellationToken);
        }
    }

    private async ValueTask<bool> HandleMailAsync(Mail mail, CancellationToken cancellationToken)
    {
        switch (mail.Kind)
        {
            case MailKind.TriggerCheckpoint:
                await CheckpointAsync(mail, cancellationToken);
                return true;
            case MailKind.NotifyComplete:
                await source.NotifyCheckpointCompleteAsync(mail.Barrier.Id, cancellationToken);
                return true;
            case MailKind.NotifyAborted:
                if (_suspendedFor == mail.Barrier.Id)
                {
                    // The stop-with-savepoint failed: the job goes on.
                    _suspendedFor = null;
                }

                await source.NotifyCheckpointAbortedAsync(mail.Barrier.Id, cancellationToken);
                return true;
            case MailKind.Stop:
                return false;
            default:
                throw new InvalidOperationException($"Unknown mail {mail.Kind}.");
        }
    }

    private async ValueTask CheckpointAsync(Mail mail, CancellationToken cancellationToken)
    {
        var barrier = mail.Barrier;
        State.OperatorSnapshot? snapshot = null;
        try
        {
            snapshot = await source.SnapshotStateAsync(barrier.Id, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Environment.Coordinator.Decline(Id, barrier.Id, error);
        }

        // The barrier goes downstream even when the snapshot failed, so that aligning operators never wait on it.
        output.Broadcast(StreamElement<T>.OfBarrier(barrier));
        await output.FlushAsync(cancellationToken);
        if (snapshot is not null)
        {
            Environment.Coordinator.Acknowledge(Id, barrier.Id, snapshot);
        }

        if (mail.SuspendSource)
        {
            _suspendedFor = barrier.Id;
        }
    }

    public override ValueTask DisposeAsync() => source.DisposeAsync();
}
