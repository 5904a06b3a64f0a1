namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

public enum FaultPoint
{
    SourcePoll,
    SourceSnapshot,
    OperatorProcess,
    OperatorBeforeSnapshot,
    OperatorAfterSnapshot,
    SinkWrite,
    SinkBeforeSnapshot,
    SinkPrepare,
    SinkAfterSnapshot,
    SinkBeforeNotify,
    SinkAfterNotify,
    StorageBeforeMetadata,
    StorageAfterMetadata,
}
