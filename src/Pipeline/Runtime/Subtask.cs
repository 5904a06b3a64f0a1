using Etl.Pipeline.Checkpointing;

namespace Etl.Pipeline.Runtime;

/// <summary>One running instance of an operator: one logical loop (a task) per subtask per attempt.</summary>
internal abstract class Subtask(SubtaskEnvironment environment) : IAsyncDisposable
{
    public SubtaskEnvironment Environment { get; } = environment;

    public SubtaskId Id => Environment.Id;

    public Mailbox Mailbox => Environment.Mailbox;

    public abstract bool IsSource { get; }

    /// <summary>Runs until the coordinator stops the job; throws when the subtask fails (which fails the attempt).</summary>
    public abstract Task RunAsync(CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();
}
