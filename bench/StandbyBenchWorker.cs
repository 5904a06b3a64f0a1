using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Etl.Bench;

/// <summary>
/// One <c>etl run</c> child process of the standby benchmark, with the moments its log showed what the benchmark
/// times: the job starting (the lock taken) and each completed checkpoint, stamped on the benchmark's clock when the
/// line arrived.
/// </summary>
internal sealed partial class StandbyBenchWorker : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly ConcurrentQueue<(long Id, TimeSpan At)> _completed = new();
    private readonly ConcurrentQueue<string> _lines = new();

    private StandbyBenchWorker(Process process, Stopwatch clock)
    {
        _process = process;
        _clock = clock;
        _process.OutputDataReceived += (_, e) => Receive(e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool IsWaitingAsStandby { get; private set; }

    /// <summary>When a standby printed that it took the job lock ("taking over:"), on the benchmark's clock.</summary>
    public TimeSpan? TookOverAt { get; private set; }

    /// <summary>When the job started under the lock ("starting with parallelism"), on the benchmark's clock.</summary>
    public TimeSpan? StartedAt { get; private set; }

    public long HighestCompleted => _completed.IsEmpty ? 0 : _completed.Max(c => c.Id);

    public static StandbyBenchWorker Start(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, Stopwatch clock)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new StandbyBenchWorker(Process.Start(info) ?? throw new InvalidOperationException("Could not start `etl run`."), clock);
    }

    /// <summary>The first checkpoint above <paramref name="above"/> this worker completed, and when; null while there is none.</summary>
    public (long Id, TimeSpan At)? FirstCompletedAbove(long above) =>
        _completed.Where(c => c.Id > above).OrderBy(c => c.At).Select(c => ((long, TimeSpan)?)c).FirstOrDefault();

    public async Task WaitUntilAsync(Func<StandbyBenchWorker, bool> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(this))
        {
            if (_process.HasExited || deadline.Elapsed > TimeSpan.FromMinutes(3))
            {
                throw new InvalidOperationException(
                    $"`etl run` (pid {Id}) did not {what} (exited: {_process.HasExited}). Last lines:\n{string.Join('\n', _lines.TakeLast(30))}");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>SIGKILL to the worker alone (it has no children): collecting a process tree reads all of /proc first, which would be timed too.</summary>
    public void Kill() => _process.Kill();

    public async Task TerminateAsync(CancellationToken cancellationToken)
    {
        using (var term = Process.Start("kill", ["-TERM", Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(cancellationToken);
        }

        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
        {
            return;
        }

        var at = _clock.Elapsed;
        _lines.Enqueue(line);
        if (CheckpointCompleted().Match(line) is { Success: true } completed)
        {
            _completed.Enqueue((long.Parse(completed.Groups[1].Value, CultureInfo.InvariantCulture), at));
        }
        else if (StartedAt is null && line.Contains(": starting with parallelism", StringComparison.Ordinal))
        {
            StartedAt = at;
        }
        else if (line.StartsWith("standby: ", StringComparison.Ordinal))
        {
            IsWaitingAsStandby = true;
        }
        else if (TookOverAt is null && line.StartsWith("taking over: ", StringComparison.Ordinal))
        {
            TookOverAt = at;
        }
    }

    [GeneratedRegex(@"Checkpoint (\d+) completed")]
    private static partial Regex CheckpointCompleted();
}
