namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>
/// One session of the <see cref="ExternalSystem"/> model, with PostgreSQL's transaction rules where they matter:
/// outside a transaction a write autocommits; after a failed statement every statement fails with 25P02 until
/// ROLLBACK; a PREPARE that fails (a deferred constraint) rolls the transaction back; PREPARE of an aborted
/// transaction is a silent ROLLBACK and PREPARE with no transaction only a warning (neither prepares anything).
/// </summary>
public sealed class ExternalSession(ExternalSystem system)
{
    private List<Sum> _rows = [];
    private List<string> _markers = [];

    public ExternalSessionStatus Status { get; private set; }

    public void Begin()
    {
        Check();
        if (Status == ExternalSessionStatus.Idle)
        {
            Status = ExternalSessionStatus.InTransaction;
        }
    }

    public void Insert(IEnumerable<Sum> rows)
    {
        Check();
        if (Status == ExternalSessionStatus.Idle)
        {
            system.Apply(rows, []);
        }
        else
        {
            _rows.AddRange(rows);
        }
    }

    public void InsertMarker(string gid)
    {
        Check();
        if (Status == ExternalSessionStatus.Idle)
        {
            system.Apply([], [gid]);
        }
        else
        {
            _markers.Add(gid);
        }
    }

    /// <summary>PREPARE TRANSACTION; <paramref name="refused"/> models a deferred constraint failing at PREPARE.</summary>
    public void Prepare(string gid, bool refused)
    {
        switch (Status)
        {
            case ExternalSessionStatus.Idle:
                return; // WARNING: there is no transaction in progress
            case ExternalSessionStatus.Failed:
                Rollback(); // PREPARE of an aborted transaction acts as ROLLBACK, without an error
                return;
            default:
                if (refused)
                {
                    Rollback();
                    throw new ExternalSqlException("23514", $"deferred constraint refused the transaction at PREPARE '{gid}'");
                }

                system.Prepare(gid, _rows, _markers);
                _rows = [];
                _markers = [];
                Status = ExternalSessionStatus.Idle;
                return;
        }
    }

    /// <summary>A statement fails (a CHECK, a lock timeout): inside a transaction it aborts it.</summary>
    public void Fail(string sqlState)
    {
        if (Status == ExternalSessionStatus.InTransaction)
        {
            Status = ExternalSessionStatus.Failed;
        }

        throw new ExternalSqlException(sqlState, "statement failed");
    }

    public void Rollback()
    {
        _rows = [];
        _markers = [];
        Status = ExternalSessionStatus.Idle;
    }

    private void Check()
    {
        if (Status == ExternalSessionStatus.Failed)
        {
            throw new ExternalSqlException("25P02", "current transaction is aborted, commands ignored until end of transaction block");
        }
    }
}
