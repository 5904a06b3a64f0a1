namespace Etl.Tests.Host;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var scenarios = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IHostScenario).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IHostScenario)Activator.CreateInstance(t)!)
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var scenario))
        {
            await Console.Error.WriteLineAsync(
                $"usage: Etl.Tests.Host SCENARIO [args]; scenarios: {string.Join(", ", scenarios.Keys.Order(StringComparer.Ordinal))}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await scenario.RunAsync(args[1..], stop.Token);
    }
}
