namespace Etl.Tests.Unit.Restart;

/// <summary>A Random whose NextDouble returns the scripted values in turn, so jitter is exact in tests.</summary>
internal sealed class ScriptedRandom(params double[] values) : Random
{
    private int _next;

    public override double NextDouble() => values[_next++ % values.Length];
}
