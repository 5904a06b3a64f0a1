namespace Etl.Pipeline.Graph;

/// <summary>An operator of the job graph (source, operator or sink) with its stable uid and parallelism.</summary>
internal abstract class JobVertex(string uid, int parallelism)
{
    private readonly Dictionary<string, Type> _sideOutputTypes = new(StringComparer.Ordinal);

    public string Uid { get; } = uid;

    public int Parallelism { get; } = parallelism;

    public List<JobEdge> Inputs { get; } = [];

    /// <summary>The edges of the main output.</summary>
    public List<JobEdge> Outputs { get; } = [];

    /// <summary>The edges of side outputs (<see cref="JobEdge.SideOutput"/> names the tag).</summary>
    public List<JobEdge> SideOutputs { get; } = [];

    /// <summary>Side outputs the operator emits to and that must have a consumer (for example a window's late data).</summary>
    public List<string> RequiredSideOutputs { get; } = [];

    public abstract bool IsSink { get; }

    public abstract TResult Accept<TResult>(IVertexVisitor<TResult> visitor);

    /// <summary>Records the record type of side output <paramref name="tagId"/>; one id has one type per operator.</summary>
    public void DeclareSideOutput(string tagId, Type type)
    {
        if (_sideOutputTypes.TryGetValue(tagId, out var known) && known != type)
        {
            throw new ArgumentException(
                $"Operator '{Uid}': side output '{tagId}' is used with records of {known.Name} and of {type.Name}; give each its own tag id.");
        }

        _sideOutputTypes[tagId] = type;
    }
}
