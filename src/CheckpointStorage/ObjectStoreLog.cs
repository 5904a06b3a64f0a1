using Etl.Pipeline;
using Etl.Pipeline.Checkpointing.Storage;
using Microsoft.Extensions.Logging;

namespace Etl.CheckpointStorage;

/// <summary>The object store's own events; the events every storage has are <see cref="CheckpointStorageLog"/>'s (one event id each).</summary>
internal static partial class ObjectStoreLog
{
    [LoggerMessage(EventId = 105, EventName = "CommitLostToAnotherWriter", Level = LogLevel.Warning,
        Message = "{Kind} {CheckpointId} of job {JobName} at {Location} was committed by another writer first; this attempt's state objects are deleted")]
    public static partial void CommitLostToAnotherWriter(this ILogger logger, CheckpointKind kind, long checkpointId, string jobName, string location);

    [LoggerMessage(EventId = 107, EventName = "StoreFailover", Level = LogLevel.Warning,
        Message = "Checkpoint store {From} failed ({Reason}); failing over to {To}")]
    public static partial void StoreFailover(this ILogger logger, string from, string to, string reason);
}
