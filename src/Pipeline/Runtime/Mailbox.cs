using System.Threading.Channels;

namespace Etl.Pipeline.Runtime;

/// <summary>
/// The coordinator's way into a subtask. The subtask reads it in its own loop between elements, so
/// a notification never runs concurrently with processing.
/// </summary>
internal sealed class Mailbox
{
    private readonly Channel<Mail> _mails = Channel.CreateUnbounded<Mail>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private Task<bool>? _wait;

    public void Post(Mail mail) => _mails.Writer.TryWrite(mail);

    public bool TryTake(out Mail mail) => _mails.Reader.TryRead(out mail);

    /// <summary>A task that completes when mail may be available; reused until it completes.</summary>
    public Task<bool> WaitAsync(CancellationToken cancellationToken)
    {
        if (_wait is null || _wait.IsCompleted)
        {
            _wait = _mails.Reader.WaitToReadAsync(cancellationToken).AsTask();
        }

        return _wait;
    }
}
