using System.Collections.Concurrent;
using System.Diagnostics;

namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// <c>etl</c> (<c>dotnet etl.dll ARGS</c>) or a test host scenario (<c>dotnet Etl.Tests.Host.dll SCENARIO ARGS</c>)
/// as a child process with its output captured line by line; <see cref="Kill"/> sends SIGKILL, as a crash would.
/// Dispose kills it if it still runs.
/// </summary>
internal sealed class EtlProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private EtlProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Enqueue(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Enqueue(_errors, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> OutputLines => [.. _output];

    public string ErrorText => string.Join('\n', _errors);

    public int Id => _process.Id;

    /// <summary>The dll it runs (etl.dll, Etl.Tests.Host.dll), for messages.</summary>
    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public static EtlProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(RepoPaths.EtlDll, arguments, environment, RepoPaths.Root);

    /// <summary>Starts scenario <paramref name="scenario"/> of the crash test host (tests/host) built next to these tests.</summary>
    public static EtlProcess StartHost(string scenario, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        Start(RepoPaths.HostDll, [scenario, .. arguments], environment, workingDirectory: null);

    /// <summary>Everything printed so far, for failure messages.</summary>
    public string Describe() => $"stdout:\n{string.Join('\n', _output)}\nstderr:\n{ErrorText}";

    /// <summary>Waits until the output holds a line equal to <paramref name="line"/>; throws if it exits or the time is up first.</summary>
    public Task WaitForLineAsync(string line, TimeSpan timeout) =>
        WaitForOutputAsync(lines => lines.Contains(line), timeout, $"print '{line}'");

    /// <summary>Waits until <paramref name="condition"/> holds for the output so far; throws if it exits or the time is up first.</summary>
    public async Task WaitForOutputAsync(Func<IReadOnlyList<string>, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(OutputLines))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                // Exited: let the output drain, the condition may hold on its last lines.
                if (_process.HasExited)
                {
                    await _process.WaitForExitAsync();
                    if (condition(OutputLines))
                    {
                        return;
                    }
                }

                throw new TimeoutException($"{Name} (pid {Id}) did not {what} (exited: {_process.HasExited}).\n{Describe()}");
            }

            await Task.Delay(5);
        }
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
            throw new TimeoutException($"{Name} (pid {Id}) did not exit within {timeout.TotalSeconds} s.\n{Describe()}");
        }

        // The parameterless wait also drains the redirected output.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks run, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGKILL, then waits until it has gone and its output is drained.</summary>
    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private static EtlProcess Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return new EtlProcess(Process.Start(info) ?? throw new InvalidOperationException($"Could not start dotnet {Path.GetFileName(dll)}."), Path.GetFileName(dll));
    }

    private static void Enqueue(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
