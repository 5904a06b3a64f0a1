using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Sink;

/// <summary>
/// <c>dotnet Etl.Tests.Host.dll sink-epochs ...</c> as a child process with its output captured;
/// <see cref="KillAsync"/> is SIGKILL, as a crash.
/// </summary>
internal sealed class SinkHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();

    private SinkHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Enqueue(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Enqueue(_errors, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static SinkHostProcess Start(IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(HostDll);
        info.ArgumentList.Add("sink-epochs");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return new SinkHostProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start the test host."));
    }

    public async Task WaitForLineAsync(string line, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_output.Contains(line))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host did not print '{line}' (exited: {_process.HasExited}).\n{Describe()}");
            }

            await Task.Delay(20);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host did not exit within {timeout.TotalSeconds} s.\n{Describe()}");
        }

        // The parameterless wait also drains the redirected output.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public string Describe() => $"stdout:\n{string.Join('\n', _output)}\nstderr:\n{string.Join('\n', _errors)}";

    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>The host of the same configuration as this test assembly, built next to it (tests/host/bin/CONFIG/net10.0).</summary>
    private static string HostDll
    {
        get
        {
            var configuration = typeof(SinkHostProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
            var dll = Path.Combine(RepoPaths.Root, "tests", "host", "bin", configuration, framework, "Etl.Tests.Host.dll");
            return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build tests/host ({configuration}).");
        }
    }

    private static void Enqueue(ConcurrentQueue<string> lines, string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
