using System.CommandLine;
using Etl.Worker.Commands;
using Etl.Worker.Demo;
using Etl.Worker.Dev;

namespace Etl.Worker;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("etl: an exactly-once stream ETL runtime (Kafka -> windows -> PostgreSQL).");
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CheckpointsCommand.Create());
        foreach (var command in EndpointCommands.Create())
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(DemoCommands.Create());
        root.Subcommands.Add(DevCommands.Create());
        // `etl run` hosts the job in the generic host, which handles SIGTERM itself (stop with savepoint);
        // System.CommandLine's own handler would end the process 2 s after SIGTERM.
        var configuration = new InvocationConfiguration();
        if (args.Length > 0 && args[0] == "run")
        {
            configuration.ProcessTerminationTimeout = null;
        }

        return root.Parse(args).InvokeAsync(configuration);
    }
}
