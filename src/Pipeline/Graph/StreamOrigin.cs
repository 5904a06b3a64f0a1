namespace Etl.Pipeline.Graph;

/// <summary>Where the records of a stream come from: the main output of a vertex, or one of its side outputs.</summary>
internal readonly record struct StreamOrigin(JobVertex Vertex, string? SideOutput);
