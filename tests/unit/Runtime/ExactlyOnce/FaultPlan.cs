namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>Failures to inject, each at the n-th time its point is reached, each once (across attempts).</summary>
public sealed class FaultPlan
{
    private readonly Lock _lock = new(); // guards _countdowns: subtasks hit points from their own tasks
    private readonly Dictionary<FaultPoint, int> _countdowns = [];

    public List<FaultPoint> Fired { get; } = [];

    public void Add(FaultPoint point, int atHit) => _countdowns[point] = atHit;

    /// <summary>The hit at which <paramref name="point"/> fails, if it is planned.</summary>
    public int? PlannedAt(FaultPoint point)
    {
        lock (_lock)
        {
            return _countdowns.TryGetValue(point, out var left) ? left : null;
        }
    }

    public void MarkFired(FaultPoint point)
    {
        lock (_lock)
        {
            Fired.Add(point);
        }
    }

    /// <summary>True exactly once: at the configured hit of <paramref name="point"/>.</summary>
    public bool Due(FaultPoint point)
    {
        lock (_lock)
        {
            if (!_countdowns.TryGetValue(point, out var left) || left <= 0)
            {
                return false;
            }

            _countdowns[point] = --left;
            if (left == 0)
            {
                Fired.Add(point);
                return true;
            }

            return false;
        }
    }

    public void Hit(FaultPoint point)
    {
        if (Due(point))
        {
            throw new InjectedFailureException(point);
        }
    }

    public override string ToString()
    {
        lock (_lock)
        {
            return string.Join(", ", _countdowns.Select(c => $"{c.Key}@{c.Value}")) + $" fired: [{string.Join(", ", Fired)}]";
        }
    }
}
