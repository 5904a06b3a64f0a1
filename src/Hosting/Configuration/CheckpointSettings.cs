namespace Etl.Worker.Configuration;

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

    public DeliveryGuarantee Mode { get; init; } = DeliveryGuarantee.ExactlyOnce;
}
