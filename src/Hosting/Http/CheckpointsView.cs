namespace Etl.Hosting.Http;

/// <summary>GET /job/checkpoints: counts since the worker started, the restore point, and the recent checkpoints, newest first.</summary>
internal sealed record CheckpointsView(
    string Job, long Completed, long Failed, int InProgress, RestoredView? RestoredFrom, IReadOnlyList<CheckpointRow> Checkpoints);
