using Etl.CheckpointStorage.S3;
using Etl.CheckpointStorage.WebHdfs;
using Etl.Pipeline.Checkpointing;

namespace Etl.Hosting.Configuration;

/// <summary>Etl:Checkpoints.</summary>
internal sealed record CheckpointSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan MinPause { get; init; } = TimeSpan.Zero;

    public int TolerableFailures { get; init; }

    public string Directory { get; init; } = "checkpoints";

    /// <summary>Empty = &lt;Directory&gt;/savepoints.</summary>
    public string SavepointDirectory { get; init; } = "";

    public int NumRetained { get; init; } = 3;

    /// <summary>On cancel: keep (retain-on-cancellation) or delete (delete-on-cancellation) the checkpoints.</summary>
    public bool DeleteOnCancellation { get; init; }

    public CheckpointingMode Mode { get; init; } = CheckpointingMode.ExactlyOnce;

    /// <summary>Etl:Checkpoints:S3: how to reach the store of an <c>s3://</c> <see cref="Directory"/>.</summary>
    public S3StorageOptions S3 { get; init; } = new();

    /// <summary>Etl:Checkpoints:Hdfs: how to reach the namenodes of an <c>hdfs://</c> <see cref="Directory"/>.</summary>
    public WebHdfsStorageOptions Hdfs { get; init; } = new();

    /// <summary>The runtime's checkpointing options these settings stand for.</summary>
    public CheckpointingOptions Checkpointing => new()
    {
        Mode = Mode,
        Interval = Interval,
        Timeout = Timeout,
        MinPause = MinPause,
        TolerableFailures = TolerableFailures,
    };
}
