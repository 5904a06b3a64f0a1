using System.CommandLine;
using Etl.Worker.Dev;

namespace Etl.Worker;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        var root = new RootCommand("etl: an exactly-once stream ETL runtime (Kafka -> windows -> PostgreSQL).");
        root.Subcommands.Add(DevCommands.Create());
        return root.Parse(args).InvokeAsync();
    }
}
