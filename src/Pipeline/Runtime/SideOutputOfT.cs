namespace Etl.Pipeline.Runtime;

/// <summary>A side output carrying records of <typeparamref name="T"/>.</summary>
internal sealed class SideOutput<T>(string tagId, IReadOnlyList<EdgeOutput<T>> edges) : SideOutput(tagId)
{
    private readonly EdgeOutput<T>[] _edges = [.. edges];

    public void Add(T value, long timestamp)
    {
        foreach (var edge in _edges)
        {
            edge.Add(value, timestamp);
        }
    }

    public override void Broadcast<TMain>(StreamElement<TMain> control)
    {
        var element = control.ControlAs<T>();
        foreach (var edge in _edges)
        {
            edge.AddToAll(element);
        }
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var edge in _edges)
        {
            await edge.FlushAsync(cancellationToken);
        }
    }
}
