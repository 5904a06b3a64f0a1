namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>A <c>chk-n</c> or <c>savepoint-n-…</c> directory; complete once it holds <c>_metadata</c>.</summary>
internal readonly record struct CheckpointDirectory(long Id, string Path, bool Complete);
