namespace Etl.CheckpointStorage;

/// <summary>
/// The few operations <see cref="ObjectStoreCheckpointStorage"/> needs from a remote store (S3, WebHDFS). Paths are
/// <c>/</c>-separated, relative to the store's root (a bucket, a nameservice), without a leading <c>/</c>.
/// </summary>
/// <remarks>
/// Contract: every write is durable when it returns. <see cref="CreateExclusiveAsync"/> is a checkpoint's commit point:
/// one atomic, create-only step that either makes the whole object visible or nothing, and that exactly one of several
/// concurrent callers wins. After an unclear failure (the request may or may not have been applied) an implementation
/// checks what the store holds instead of retrying blindly.
/// </remarks>
internal interface ICheckpointObjectStore : IDisposable
{
    /// <summary>The URI of a path, as users see it (<c>s3://bucket/path</c>, <c>hdfs://ns/path</c>).</summary>
    string LocationOf(string path);

    /// <summary>The path of a location this store holds, or null when the location belongs to another store.</summary>
    string? PathOf(string location);

    /// <summary>The object's bytes, or null when it does not exist.</summary>
    ValueTask<byte[]?> ReadAsync(string path, CancellationToken cancellationToken);

    ValueTask<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes an object whose name nobody else writes (a state object of one commit attempt).</summary>
    ValueTask WriteAsync(string path, byte[] content, CancellationToken cancellationToken);

    /// <summary>Replaces an object as one step where the store allows; a reader sees the old or the new content.</summary>
    ValueTask ReplaceAsync(string path, byte[] content, CancellationToken cancellationToken);

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> only if it does not exist: true when this call
    /// created it, false when it existed with other content.
    /// </summary>
    ValueTask<bool> CreateExclusiveAsync(string path, byte[] content, CancellationToken cancellationToken);

    /// <summary>Names of the direct children of a directory (prefix), files and directories alike; empty when it does not exist.</summary>
    ValueTask<IReadOnlyList<string>> ListChildrenAsync(string directory, CancellationToken cancellationToken);

    /// <summary>Deletes one object; a missing one is fine.</summary>
    ValueTask DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Deletes a directory (prefix) and everything under it; a missing one is fine.</summary>
    ValueTask DeleteTreeAsync(string directory, CancellationToken cancellationToken);
}
