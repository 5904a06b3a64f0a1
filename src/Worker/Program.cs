using System.CommandLine;

namespace Etl.Worker;

internal static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("etl: an exactly-once stream ETL runtime (Kafka -> windows -> PostgreSQL).");
        return root.Parse(args).Invoke();
    }
}
