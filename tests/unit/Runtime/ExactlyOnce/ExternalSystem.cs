namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// What a transactional sink writes to: it outlives job attempts (like a database), and committing a
/// transaction id that is already committed is a no-op (like COMMIT PREPARED of a committed gid).
/// </summary>
public sealed class ExternalSystem
{
    private readonly Lock _lock = new(); // guards both collections: sink subtasks commit concurrently
    private readonly HashSet<string> _committed = [];
    private readonly List<Sum> _rows = [];

    public void Commit(string transactionId, IReadOnlyList<Sum> rows)
    {
        lock (_lock)
        {
            if (_committed.Add(transactionId))
            {
                _rows.AddRange(rows);
            }
        }
    }

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
}
