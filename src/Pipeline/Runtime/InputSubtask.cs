using Etl.Pipeline.Metrics;
using Etl.Pipeline.State;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// The loop of a subtask with inputs (operator or sink): reads its input gate, handles mail between
/// elements, combines watermarks, aligns barriers and forwards end of input. Subclasses say what a
/// record batch, a watermark, a snapshot and so on mean for them.
/// </summary>
internal abstract class InputSubtask<TIn> : Subtask
{
    private readonly InputGate<TIn> _gate;
    private readonly WatermarkValve _valve;
    private readonly BarrierAligner<TIn> _aligner;
    private readonly bool[] _endedChannels;
    private int _endedCount;

    protected InputSubtask(SubtaskEnvironment environment, InputGate<TIn> gate)
        : base(environment)
    {
        _gate = gate;
        _valve = new WatermarkValve(gate.ChannelCount);
        _aligner = new BarrierAligner<TIn>(gate, environment.Mode);
        _endedChannels = new bool[gate.ChannelCount];
    }

    public override bool IsSource => false;

    public override async Task RunAsync(CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        while (true)
        {
            while (Mailbox.TryTake(out var mail))
            {
                if (!await HandleMailAsync(mail, cancellationToken))
                {
                    return;
                }
            }

            var (hasElement, channel, element) = await _gate.ReadAsync(Mailbox, cancellationToken);
            if (hasElement)
            {
                await HandleElementAsync(channel, element, cancellationToken);
            }
        }
    }

    protected abstract ValueTask OpenAsync(CancellationToken cancellationToken);

    protected abstract ValueTask ProcessBatchAsync(StreamRecord<TIn>[] records, int count, CancellationToken cancellationToken);

    protected abstract ValueTask OnWatermarkAsync(Watermark watermark, CancellationToken cancellationToken);

    protected abstract ValueTask OnIdleAsync(CancellationToken cancellationToken);

    protected abstract ValueTask OnDeadLetterAsync(DeadLetter deadLetter, CancellationToken cancellationToken);

    protected abstract ValueTask<OperatorSnapshot> SnapshotAsync(CheckpointId checkpointId, CancellationToken cancellationToken);

    protected abstract ValueTask ForwardBarrierAsync(CheckpointBarrier barrier, CancellationToken cancellationToken);

    protected abstract ValueTask OnEndOfInputAsync(CancellationToken cancellationToken);

    protected abstract ValueTask NotifyCompleteAsync(CheckpointId checkpointId, CancellationToken cancellationToken);

    protected abstract ValueTask NotifyAbortedAsync(CheckpointId checkpointId, CancellationToken cancellationToken);

    private async ValueTask HandleElementAsync(int channel, StreamElement<TIn> element, CancellationToken cancellationToken)
    {
        switch (element.Kind)
        {
            case StreamElementKind.Records:
                _valve.OnRecords(channel);
                try
                {
                    PipelineMetrics.RecordsReceived(Id.OperatorId, element.Count);
                    await ProcessBatchAsync(element.Records!, element.Count, cancellationToken);
                }
                finally
                {
                    element.ReturnBatch();
                }

                break;
            case StreamElementKind.Watermark:
                await ApplyAsync(_valve.OnWatermark(channel, element.Watermark), cancellationToken);
                break;
            case StreamElementKind.Idle:
                await ApplyAsync(_valve.OnIdle(channel), cancellationToken);
                break;
            case StreamElementKind.Barrier:
                if (_aligner.OnBarrier(channel, element.Barrier))
                {
                    await CheckpointAsync(element.Barrier, cancellationToken);
                }

                break;
            case StreamElementKind.DeadLetters:
                foreach (var deadLetter in element.DeadLetters!)
                {
                    await OnDeadLetterAsync(deadLetter, cancellationToken);
                }

                break;
            case StreamElementKind.EndOfInput:
                if (_endedChannels[channel])
                {
                    break;
                }

                _endedChannels[channel] = true;
                _endedCount++;
                await ApplyAsync(_valve.OnEndOfInput(channel), cancellationToken);
                if (_endedCount == _endedChannels.Length)
                {
                    await OnEndOfInputAsync(cancellationToken);
                    Environment.Coordinator.ReportEndOfInput(Id);
                }

                break;
            default:
                throw new InvalidOperationException($"Unknown stream element {element.Kind}.");
        }
    }

    private async ValueTask ApplyAsync(ValveOutput change, CancellationToken cancellationToken)
    {
        switch (change)
        {
            case ValveOutput.None:
                break;
            case ValveOutput.Advanced:
                await OnWatermarkAsync(_valve.Current, cancellationToken);
                break;
            case ValveOutput.BecameIdle:
                await OnIdleAsync(cancellationToken);
                break;
            default:
                throw new InvalidOperationException($"Unknown valve output {change}.");
        }
    }

    private async ValueTask CheckpointAsync(CheckpointBarrier barrier, CancellationToken cancellationToken)
    {
        OperatorSnapshot? snapshot = null;
        try
        {
            snapshot = await SnapshotAsync(barrier.Id, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            Environment.Coordinator.Decline(Id, barrier.Id, error);
        }

        // Forwarded even after a failed snapshot, so operators downstream never wait on it.
        await ForwardBarrierAsync(barrier, cancellationToken);
        if (snapshot is not null)
        {
            Environment.Coordinator.Acknowledge(Id, barrier.Id, snapshot);
        }
    }

    private async ValueTask<bool> HandleMailAsync(Mail mail, CancellationToken cancellationToken)
    {
        switch (mail.Kind)
        {
            case MailKind.NotifyComplete:
                await NotifyCompleteAsync(mail.Barrier.Id, cancellationToken);
                return true;
            case MailKind.NotifyAborted:
                await NotifyAbortedAsync(mail.Barrier.Id, cancellationToken);
                return true;
            case MailKind.Stop:
                return false;
            case MailKind.TriggerCheckpoint:
                throw new InvalidOperationException($"Subtask {Id} has inputs; only sources are triggered, others follow the barriers.");
            default:
                throw new InvalidOperationException($"Unknown mail {mail.Kind}.");
        }
    }
}
