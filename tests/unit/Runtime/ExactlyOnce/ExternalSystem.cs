namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// What the sink writes to, modelled on PostgreSQL where exactly-once depends on it: it outlives job attempts;
/// each sink instance has a <see cref="ExternalSession"/>; a prepared transaction survives its session;
/// COMMIT PREPARED of an unknown gid fails with 42704 (the sink then looks for the commit marker).
/// </summary>
public sealed class ExternalSystem
{
    private readonly Lock _lock = new(); // guards every collection: sink subtasks write and commit concurrently
    private readonly List<Sum> _rows = [];
    private readonly HashSet<string> _markers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<Sum> Rows, List<string> Markers)> _prepared = new(StringComparer.Ordinal);

    public List<Sum> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows];
            }
        }
    }

    public ExternalSession OpenSession() => new(this);

    public void CommitPrepared(string gid)
    {
        lock (_lock)
        {
            if (!_prepared.Remove(gid, out var transaction))
            {
                throw new ExternalSqlException("42704", $"prepared transaction with identifier \"{gid}\" does not exist");
            }

            Apply(transaction.Rows, transaction.Markers);
        }
    }

    public void RollbackPrepared(string gid)
    {
        lock (_lock)
        {
            _prepared.Remove(gid);
        }
    }

    public IReadOnlyList<string> PreparedGids()
    {
        lock (_lock)
        {
            return [.. _prepared.Keys];
        }
    }

    public bool HasMarker(string gid)
    {
        lock (_lock)
        {
            return _markers.Contains(gid);
        }
    }

    internal void Apply(IEnumerable<Sum> rows, IEnumerable<string> markers)
    {
        lock (_lock)
        {
            _rows.AddRange(rows);
            _markers.UnionWith(markers);
        }
    }

    internal void Prepare(string gid, List<Sum> rows, List<string> markers)
    {
        lock (_lock)
        {
            if (!_prepared.TryAdd(gid, (rows, markers)))
            {
                throw new ExternalSqlException("42710", $"transaction identifier \"{gid}\" is already in use");
            }
        }
    }
}
