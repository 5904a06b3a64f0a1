using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>A subtask failed, which fails the job attempt; the job restarts from its latest checkpoint per the restart strategy.</summary>
public sealed class SubtaskFailedException : Exception
{
    public SubtaskFailedException(SubtaskId subtask, Exception innerException)
        : base($"Subtask {subtask} failed: {innerException?.Message}", innerException) => Subtask = subtask;

    public SubtaskFailedException()
    {
    }

    public SubtaskFailedException(string message) : base(message)
    {
    }

    public SubtaskFailedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SubtaskId Subtask { get; }
}
