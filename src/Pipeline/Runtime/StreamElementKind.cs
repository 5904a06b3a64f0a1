namespace Etl.Pipeline.Runtime;

/// <summary>The closed set of things that travel on a channel between two subtasks.</summary>
internal enum StreamElementKind
{
    Records,
    Watermark,
    Idle,
    Barrier,
    DeadLetters,
    EndOfInput,
}
