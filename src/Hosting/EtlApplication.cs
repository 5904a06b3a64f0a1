namespace Etl.Hosting;

/// <summary>
/// Where a job's program starts. A whole <c>Program.cs</c>:
/// <code>
/// var app = EtlApplication.CreateBuilder(args);
/// app.AddJob("page-views", PageViewsJob.Define);
/// return await app.RunAsync();
/// </code>
/// The program is then a worker with the <c>run</c>, <c>savepoint</c>, <c>stop</c>, <c>checkpoints</c>,
/// <c>health</c> and <c>status</c> verbs (docs/worker.md).
/// </summary>
public static class EtlApplication
{
    /// <summary>
    /// A builder for the program's command line; <paramref name="args"/> are the process arguments. Call it first:
    /// it also sets the worker's runtime defaults (the thread pool's spin limit, docs/worker.md), which the runtime
    /// reads when its thread pool starts.
    /// </summary>
    public static EtlApplicationBuilder CreateBuilder(string[] args)
    {
        Job.WorkerRuntimeDefaults.Apply();
        return new(args);
    }
}
