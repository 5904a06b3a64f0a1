using System.Collections.Concurrent;
using System.Diagnostics;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// <c>etl</c> as a child process (<c>dotnet etl.dll ARGS</c>) with its output captured line by line;
/// <see cref="Kill"/> sends SIGKILL, as a crash would. Dispose kills it if it still runs.
/// </summary>
internal sealed class EtlProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private EtlProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Enqueue(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Enqueue(_errors, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> OutputLines => [.. _output];

    public string ErrorText => string.Join('\n', _errors);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static EtlProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        info.ArgumentList.Add(RepoPaths.EtlDll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new EtlProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start dotnet etl.dll."));
    }

    /// <summary>Waits for exit and returns the exit code; throws with the captured output on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"etl (pid {Id}) did not exit within {timeout.TotalSeconds} s.\nstdout:\n{string.Join('\n', _output)}\nstderr:\n{ErrorText}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static void Enqueue(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
