namespace Etl.Bench;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        // As a worker starts (EtlApplication.CreateBuilder): the job and the bare loop it is compared with run on the
        // same runtime settings.
        Etl.Hosting.Job.WorkerRuntimeDefaults.Apply();
        var benchmarks = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchmark).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
            .OrderBy(b => b.Name, StringComparer.Ordinal)
            .ToDictionary(b => b.Name, StringComparer.Ordinal);
        if (args.Length == 0 || !benchmarks.TryGetValue(args[0], out var benchmark))
        {
            await Console.Error.WriteLineAsync("usage: bench.sh NAME [args]   (run in Release)");
            foreach (var b in benchmarks.Values)
            {
                await Console.Error.WriteLineAsync($"  {b.Name,-16} {b.Description}");
            }

            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await benchmark.RunAsync(args[1..], stop.Token);
    }
}
