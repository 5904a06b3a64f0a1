namespace Etl.Tests.Unit.Runtime.RestorePoints;

/// <summary>What a <see cref="GatedSource"/> may emit; shared by the test and the source instances of every attempt.</summary>
public sealed class SourceGate
{
    private volatile int _allowed;
    private volatile int _end = int.MaxValue;
    private volatile int _emitted;

    public int Allowed { get => _allowed; set => _allowed = value; }

    public int End { get => _end; set => _end = value; }

    /// <summary>The next offset of the latest source instance (records before it were emitted).</summary>
    public int Emitted { get => _emitted; set => _emitted = value; }
}
