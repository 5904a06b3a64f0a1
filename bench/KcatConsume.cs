using System.Diagnostics;

namespace Etl.Bench;

/// <summary>kcat's raw consume of a topic from the beginning to its end, as a child process: the C ceiling.</summary>
internal static class KcatConsume
{
    /// <summary>The wall time kcat took, process start and metadata included; a non-zero exit fails.</summary>
    public static async Task<TimeSpan> MeasureAsync(string bootstrap, string topic, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"kcat -C -b '{bootstrap}' -t '{topic}' -o beginning -e -q > /dev/null");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start kcat.");
        await process.WaitForExitAsync(cancellationToken);
        watch.Stop();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kcat exited with {process.ExitCode}.");
        }

        return watch.Elapsed;
    }
}
