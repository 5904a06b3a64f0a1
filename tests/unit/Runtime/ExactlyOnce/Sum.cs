namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>The running sum of a key after the event at (partition, offset).</summary>
public readonly record struct Sum(int Key, int Partition, int Offset, long Total);
