namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>One input record: a partition offset with a key and a value.</summary>
public readonly record struct InputEvent(int Partition, int Offset, int Key, long Value);
