namespace Etl.Tests.Unit.Runtime.Alignment;

/// <summary>A record labelled with its source subtask, sequence and the number of barriers that source had emitted before it.</summary>
public readonly record struct Tagged(int Source, int Seq, int Epoch);
