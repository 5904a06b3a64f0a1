namespace Etl.Tests.Unit.TwoPhaseCommit;

/// <summary>
/// A fake transactional store shared by participant instances, so a "restarted" sink sees what the crashed
/// one prepared or committed. It records every protocol call in order.
/// </summary>
public sealed class InMemoryStore
{
    public List<string> Committed { get; } = [];

    public Dictionary<string, List<string>> Prepared { get; } = new(StringComparer.Ordinal);

    public HashSet<string> CommittedHandles { get; } = new(StringComparer.Ordinal);

    public List<string> Calls { get; } = [];

    /// <summary>PREPAREs of these handles are refused (a deferred constraint): the transaction is rolled back.</summary>
    public HashSet<string> FailingPrepares { get; } = new(StringComparer.Ordinal);

    /// <summary>Commits of these handles throw, as a database that is down would.</summary>
    public HashSet<string> FailingCommits { get; } = new(StringComparer.Ordinal);

    public void Commit(string handle)
    {
        if (FailingCommits.Contains(handle))
        {
            throw new InvalidOperationException($"store unavailable while committing {handle}");
        }

        if (Prepared.Remove(handle, out var rows))
        {
            Committed.AddRange(rows);
            CommittedHandles.Add(handle);
        }
        else if (!CommittedHandles.Contains(handle))
        {
            throw new InvalidOperationException($"42704: {handle} is neither prepared nor committed: lost");
        }
    }
}
