namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>No completed checkpoint or savepoint exists at the location given (for example <c>--from-checkpoint</c>).</summary>
public sealed class CheckpointNotFoundException : Exception
{
    public CheckpointNotFoundException()
    {
    }

    public CheckpointNotFoundException(string message) : base(message)
    {
    }

    public CheckpointNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The location asked for.</summary>
    public string? Location { get; init; }

    internal static CheckpointNotFoundException At(string location, string why) =>
        new($"No completed checkpoint or savepoint at '{location}': {why}") { Location = location };
}
