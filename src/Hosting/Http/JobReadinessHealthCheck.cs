using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Etl.Hosting.Http;

/// <summary>
/// GET /health/ready: healthy once the sink subtasks of the current attempt restored (<see cref="IWorkerControl.IsReady"/>);
/// a standby is not ready, and says so.
/// </summary>
internal sealed class JobReadinessHealthCheck(IWorkerControl control) : IHealthCheck
{
    public const string Name = "job-ready";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(
            control.IsReady ? HealthCheckResult.Healthy("ready")
            : control.IsStandby ? HealthCheckResult.Unhealthy("not ready: standby, waiting for the job lock")
            : HealthCheckResult.Unhealthy("not ready: restoring or restarting"));
}
