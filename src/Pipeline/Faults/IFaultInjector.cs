namespace Etl.Pipeline.Faults;

/// <summary>
/// A hook at the dangerous instants of the checkpoint protocol for crash tests: a call site calls
/// <see cref="Reach"/> when it passes a <see cref="FaultPoint"/>, and an armed injector may kill the
/// process right there (SIGKILL: no cleanup runs, as in a real crash). Off by default
/// (<see cref="FaultInjector.None"/>); the worker arms it from the ETL_FAULT environment variable.
/// </summary>
public interface IFaultInjector
{
    /// <summary>The caller passed <paramref name="point"/>; returns only if no fault is armed there.</summary>
    void Reach(FaultPoint point);
}
