namespace Etl.Hosting.Http;

/// <summary>GET /job: the job, its operators with rates and back-pressure, Kafka lag, dead letters and the latest failure.</summary>
/// <param name="StartedAt">When the worker's first attempt started (the job's uptime counts from it).</param>
/// <param name="Parallelism">The highest parallelism of its operators.</param>
/// <param name="RestoredFrom">The checkpoint or savepoint the current attempt restored; null when it started from nothing.</param>
internal sealed record JobView(
    string Job, string State, int Attempt, int ProcessId, DateTimeOffset SampledAt, DateTimeOffset? StartedAt, double UptimeSeconds,
    DateTimeOffset? AttemptStartedAt, int Parallelism, RestoredView? RestoredFrom, long LastCompletedCheckpoint, FailureView? LatestFailure,
    IReadOnlyList<OperatorView> Operators, IReadOnlyList<PartitionLagView> KafkaLag, IReadOnlyList<DeadLetterView> DeadLetters);
