using System.Diagnostics;
using Etl.Hosting.Configuration;
using Etl.Pipeline.Faults;

namespace Etl.Hosting.Faults;

/// <summary>
/// Kills this process with SIGKILL (Process.Kill on Unix) the N-th time the planned point is reached, after
/// one line on stderr saying where, so a crash test can tell a planned death from a real failure.
/// </summary>
internal sealed class KillingFaultInjector(FaultPlan plan) : IFaultInjector
{
    private int _reached;

    /// <summary>True when the next <see cref="Reach"/> of <paramref name="point"/> kills (to prepare damage first).</summary>
    public bool KillsNext(FaultPoint point) => point == plan.Point && Volatile.Read(ref _reached) + 1 == plan.Occurrence;

    public void Reach(FaultPoint point)
    {
        if (point != plan.Point || Interlocked.Increment(ref _reached) != plan.Occurrence)
        {
            return;
        }

        Console.Error.WriteLine($"{FaultPlan.Variable}: killing process {Environment.ProcessId} at {SettingParsers.Kebab(point)} (occurrence {plan.Occurrence})");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        // Kill delivers SIGKILL asynchronously; never return into the protocol step.
        using var never = new ManualResetEventSlim();
        never.Wait();
    }
}
