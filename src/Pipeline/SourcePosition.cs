namespace Etl.Pipeline;

/// <summary>Where a record came from, for dead letters and lineage: a topic partition and offset.</summary>
public readonly record struct SourcePosition(string Topic, int Partition, long Offset);
