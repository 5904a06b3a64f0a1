namespace Etl.Pipeline.Faults;

/// <summary>
/// The process-wide fault injector, for call sites that have no constructor to receive one through.
/// Set once at start-up by the host; <see cref="None"/> unless a crash test armed it.
/// </summary>
public static class FaultInjector
{
    /// <summary>An injector that never fires.</summary>
    public static IFaultInjector None { get; } = new NoFaults();

    // After None: static initialisers run in text order.
    private static volatile IFaultInjector _current = None;

    public static IFaultInjector Current
    {
        get => _current;
        set => _current = value ?? None;
    }

    private sealed class NoFaults : IFaultInjector
    {
        public void Reach(FaultPoint point)
        {
        }
    }
}
