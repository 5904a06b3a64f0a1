namespace Etl.Pipeline.Runtime;

/// <param name="SuspendSource">Stop-with-savepoint: the source stops polling after this barrier.</param>
internal readonly record struct Mail(MailKind Kind, CheckpointBarrier Barrier, bool SuspendSource = false);
