using System.Security.Cryptography;

namespace Etl.CheckpointStorage.WebHdfs;

/// <summary>
/// One HDFS nameservice as a checkpoint object store. The commit point is Flink's: the content goes to a hidden
/// in-progress file, which is renamed to its final name (HDFS renames a file atomically and refuses an existing
/// destination). A write or rename whose outcome is unclear is checked (status, content) before anything is redone.
/// </summary>
internal sealed class WebHdfsObjectStore(string nameservice, WebHdfsClient client) : ICheckpointObjectStore
{
    private const string ReplacingSuffix = ".replacing";
    private const int MaxAttempts = 3;

    public string LocationOf(string path) => $"hdfs://{nameservice}/{path}";

    public string? PathOf(string location)
    {
        var prefix = $"hdfs://{nameservice}/";
        return location.StartsWith(prefix, StringComparison.Ordinal) ? location[prefix.Length..].Trim('/') : null;
    }

    public async ValueTask<byte[]?> ReadAsync(string path, CancellationToken cancellationToken) =>
        await client.OpenAsync(path, cancellationToken)
        // A replacement that crashed between its delete and its rename left the new content under the temporary name.
        ?? await client.OpenAsync(path + ReplacingSuffix, cancellationToken);

    public async ValueTask<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        await client.LengthAsync(path, cancellationToken) is not null;

    public async ValueTask WriteAsync(string path, byte[] content, CancellationToken cancellationToken) =>
        await CreateCheckedAsync(path, content, cancellationToken);

    public async ValueTask ReplaceAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var temporary = path + ReplacingSuffix;
        await client.DeleteAsync(temporary, recursive: false, cancellationToken);
        await CreateCheckedAsync(temporary, content, cancellationToken);
        await client.DeleteAsync(path, recursive: false, cancellationToken);
        if (!await RenameCheckedAsync(temporary, path, content, cancellationToken))
        {
            throw new IOException($"Could not replace {LocationOf(path)}: another writer created it while it was being replaced.");
        }
    }

    public async ValueTask<bool> CreateExclusiveAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        var slash = path.LastIndexOf('/');
        var inProgress = $"{path[..(slash + 1)]}.{path[(slash + 1)..]}.inprogress-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        await CreateCheckedAsync(inProgress, content, cancellationToken);
        var committed = await RenameCheckedAsync(inProgress, path, content, cancellationToken);
        if (!committed)
        {
            await client.DeleteAsync(inProgress, recursive: false, cancellationToken);
        }

        return committed;
    }

    public async ValueTask<IReadOnlyList<string>> ListChildrenAsync(string directory, CancellationToken cancellationToken) =>
        await client.ListAsync(directory, cancellationToken);

    public async ValueTask DeleteAsync(string path, CancellationToken cancellationToken) =>
        await client.DeleteAsync(path, recursive: false, cancellationToken);

    public async ValueTask DeleteTreeAsync(string directory, CancellationToken cancellationToken) =>
        await client.DeleteAsync(directory, recursive: true, cancellationToken);

    public void Dispose() => client.Dispose();

    /// <summary>CREATE without overwrite; after an unclear failure, or when the file exists, its content decides.</summary>
    private async Task CreateCheckedAsync(string path, byte[] content, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await client.CreateAsync(path, content, overwrite: false, cancellationToken);
                return;
            }
            catch (WebHdfsException e) when ((e.Unclear || e.RemoteException == "FileAlreadyExistsException") && attempt < MaxAttempts)
            {
                // Ours if the bytes are all there (the answer was lost, or a retry found our own file); otherwise a torn
                // attempt of ours (names are unique per attempt): remove it and write again.
                var length = await client.LengthAsync(path, cancellationToken);
                if (length == content.LongLength && (await client.OpenAsync(path, cancellationToken))?.AsSpan().SequenceEqual(content) == true)
                {
                    return;
                }

                if (length is not null)
                {
                    await client.DeleteAsync(path, recursive: false, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// RENAME, checked: true when <paramref name="destination"/> now holds <paramref name="content"/> through this rename,
    /// false when it holds something else. An unclear answer or a refusal is resolved by looking at both paths.
    /// </summary>
    private async Task<bool> RenameCheckedAsync(string source, string destination, byte[] content, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await client.RenameAsync(source, destination, cancellationToken))
                {
                    return true;
                }
            }
            catch (WebHdfsException e) when (e.Unclear && attempt < MaxAttempts)
            {
                // Look before renaming again: the first rename may have happened.
            }

            var stored = await client.OpenAsync(destination, cancellationToken);
            if (stored is not null)
            {
                return stored.AsSpan().SequenceEqual(content) && await client.LengthAsync(source, cancellationToken) is null;
            }

            if (await client.LengthAsync(source, cancellationToken) is null || attempt >= MaxAttempts)
            {
                throw new IOException($"Renaming {LocationOf(source)} to {LocationOf(destination)} failed: neither holds the content any more.");
            }
        }
    }
}
