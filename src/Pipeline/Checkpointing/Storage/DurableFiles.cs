using System.Runtime.InteropServices;

namespace Etl.Pipeline.Checkpointing.Storage;

/// <summary>
/// Writes that survive a power cut: file contents are fsynced before they are made visible, and directory
/// entries (new files, renames, new directories) are fsynced through the directory itself.
/// </summary>
internal static class DurableFiles
{
    /// <summary>Creates <paramref name="path"/> (which must not exist), writes it and fsyncs its content.</summary>
    public static async ValueTask WriteNewAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        await using (stream)
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>
    /// Replaces <paramref name="path"/> atomically: write a temporary sibling, fsync it, rename it over the
    /// target, fsync the directory. A reader sees the old content or the new one, never a mix.
    /// </summary>
    public static async ValueTask ReplaceAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temporary = path + ".inprogress";
        File.Delete(temporary);
        await WriteNewAsync(temporary, content, cancellationToken);
        File.Move(temporary, path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(path)!);
    }

    /// <summary>Creates a directory and makes its entry in the parent durable. Returns false if it existed.</summary>
    public static bool CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return false;
        }

        var parent = Path.GetDirectoryName(path);
        if (parent is not null && !Directory.Exists(parent))
        {
            CreateDirectory(parent);
        }

        Directory.CreateDirectory(path);
        if (parent is not null)
        {
            FlushDirectory(parent);
        }

        return true;
    }

    /// <summary>
    /// fsync(2) on a directory, which makes the entries created, renamed or deleted in it durable. .NET cannot
    /// open a directory as a file on Unix, so this calls libc directly. Windows has no equivalent that a
    /// non-backup process can use; NTFS journals directory changes, so it is skipped there.
    /// </summary>
    public static void FlushDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // O_RDONLY (0) opens a directory on Linux and macOS alike; O_DIRECTORY's value differs by platform.
        var fd = Open(path, 0);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{path}' to flush it: errno {Marshal.GetLastPInvokeError()}.");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory '{path}' failed: errno {Marshal.GetLastPInvokeError()}.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    // DllImport rather than LibraryImport: the generated stubs need AllowUnsafeBlocks, and these three
    // signatures are blittable apart from the UTF-8 path.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Close(int fd);
}
