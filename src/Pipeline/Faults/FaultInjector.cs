namespace Etl.Pipeline.Faults;

/// <summary>The injector that never fires, the default wherever an <see cref="IFaultInjector"/> is optional.</summary>
public static class FaultInjector
{
    /// <summary>An injector that never fires.</summary>
    public static IFaultInjector None { get; } = new NoFaults();

    private sealed class NoFaults : IFaultInjector
    {
        public void Reach(FaultPoint point)
        {
        }
    }
}
