namespace Etl.Hosting.Job;

/// <summary>
/// .NET runtime settings a worker starts with unless the program's runtimeconfig or the environment sets them.
/// </summary>
/// <remarks>
/// A job hands records from stage to stage on thread-pool workers; an idle worker spins before it sleeps (default
/// limit 70), so every hand-off that finds no work burns CPU. A worker shares its cores with Kafka's client threads
/// and often with PostgreSQL: in the order-total benchmark (docs/benchmarks.md) the spinning was about a fifth of
/// the job's running samples, and a spin limit of 0 cut the job's CPU per record by about 15 % and raised its rate.
/// <c>DOTNET_ThreadPool_UnfairSemaphoreSpinLimit</c> in the environment, or
/// <c>System.Threading.ThreadPool.UnfairSemaphoreSpinLimit</c> in the runtimeconfig, wins over this default.
/// </remarks>
internal static class WorkerRuntimeDefaults
{
    public const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>Sets the defaults; only effective before the thread pool has started its first worker.</summary>
    public static void Apply()
    {
        if (AppContext.GetData(SpinLimit) is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }
}
