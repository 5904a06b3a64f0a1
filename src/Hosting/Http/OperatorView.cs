namespace Etl.Hosting.Http;

/// <summary>An operator on GET /job: totals since the worker started, rates over the last seconds, and back-pressure.</summary>
/// <param name="BackPressuredMsPerSecond">The most back-pressured subtask's waiting time per second (1000 = always waiting).</param>
internal sealed record OperatorView(
    string Id, int Parallelism, long RecordsIn, long RecordsOut, double RecordsInPerSecond, double RecordsOutPerSecond,
    double BackPressuredMsPerSecond, IReadOnlyList<SubtaskBackPressureView> Subtasks);
