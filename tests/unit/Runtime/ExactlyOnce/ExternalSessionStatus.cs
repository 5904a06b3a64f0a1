namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>A session's transaction status, as PostgreSQL reports it in ReadyForQuery (I, T, E).</summary>
public enum ExternalSessionStatus
{
    Idle,
    InTransaction,
    Failed,
}
