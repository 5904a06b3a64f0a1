using System.Threading.Channels;

namespace Etl.Pipeline.Checkpointing;

/// <summary>
/// Sleeps the coordinator loop until an event arrives or the next deadline (a periodic trigger or a
/// checkpoint timeout) passes, on the injected clock. Reuses its waits so an idle loop does not pile
/// up timers or channel waiters.
/// </summary>
internal sealed class CoordinatorTimer(TimeProvider time) : IDisposable
{
    private Task<bool>? _eventWait;
    private Task? _delay;
    private DateTimeOffset? _delayDeadline;
    private CancellationTokenSource? _delayCancellation;

    public async Task WaitAsync<T>(ChannelReader<T> events, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        if (_eventWait is null || _eventWait.IsCompleted)
        {
            _eventWait = events.WaitToReadAsync(cancellationToken).AsTask();
        }

        if (deadline is null)
        {
            await _eventWait;
            return;
        }

        var due = deadline.Value - time.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            return;
        }

        if (_delay is null || _delay.IsCompleted || _delayDeadline != deadline)
        {
            _delayCancellation?.Cancel();
            _delayCancellation?.Dispose();
            _delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _delayDeadline = deadline;
            _delay = Task.Delay(due, time, _delayCancellation.Token);
        }

        var done = await Task.WhenAny(_eventWait, _delay);
        // Surface cancellation of the job, not of a replaced delay.
        cancellationToken.ThrowIfCancellationRequested();
        if (done == _eventWait)
        {
            await _eventWait;
        }
    }

    public void Dispose()
    {
        _delayCancellation?.Cancel();
        _delayCancellation?.Dispose();
    }
}
