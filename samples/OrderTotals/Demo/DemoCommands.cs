using System.CommandLine;
using System.Globalization;
using Etl.Hosting;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Job;
using Microsoft.Extensions.Configuration;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// <c>etl demo produce</c>, <c>etl demo check</c> and <c>etl demo watch</c>, used by ./demo.sh. Both read the job's settings the
/// way <c>etl run</c> does (environment Etl__..., Etl:Key=Value arguments), so the generated stream, the
/// reference computation and the worker agree on topic, windows and tables.
/// </summary>
internal static class DemoCommands
{
    public static Command Create()
    {
        var demo = new Command("demo", "The order-total demo: generate orders, check the job's output against an independent computation.");
        demo.Subcommands.Add(CreateTopic());
        demo.Subcommands.Add(Produce());
        demo.Subcommands.Add(Check());
        demo.Subcommands.Add(DemoWatch.Create());
        return demo;
    }

    private static Option<int> CountOption() => new("--count") { Description = "Orders to generate.", DefaultValueFactory = _ => 20_000 };

    private static Option<int> SeedOption() => new("--seed") { Description = "Seed of the generator.", DefaultValueFactory = _ => 42 };

    private static Command CreateTopic()
    {
        var partitions = new Option<int>("--partitions") { Description = "Partitions of the topic.", DefaultValueFactory = _ => 4 };
        var command = new Command("create-topic", "Create the job's input topic (Etl:Kafka:Topic) with the given partitions.") { partitions };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            if (Options(result) is not { } options)
            {
                return 2;
            }

            await DemoTopic.CreateAsync(options.Kafka.BootstrapServers, options.Kafka.Topic, result.GetValue(partitions), ct);
            Console.WriteLine($"created topic {options.Kafka.Topic} with {result.GetValue(partitions)} partitions");
            return 0;
        });
        return command;
    }

    private static Command Produce()
    {
        var (count, seed) = (CountOption(), SeedOption());
        var from = new Option<int>("--from") { Description = "Produce the generated records from this index on.", DefaultValueFactory = _ => 0 };
        var to = new Option<int?>("--to") { Description = "Produce the generated records before this index (default: all)." };
        var command = new Command("produce", "Produce a seeded order stream (out of order, some late, some malformed) with a progress bar.") { count, seed, from, to };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            if (Options(result) is not { } options)
            {
                return 2;
            }

            var all = OrderStream.Generate(OrderStreamOptions.ForJob(options.Window, result.GetValue(count), result.GetValue(seed)));
            var start = Math.Clamp(result.GetValue(from), 0, all.Count);
            var records = all.Take(Math.Clamp(result.GetValue(to) ?? all.Count, start, all.Count)).Skip(start).ToList();
            var bar = new ProgressBar(records.Count, "producing orders");
            await OrderProducer.ProduceAsync(options.Kafka.BootstrapServers, options.Kafka.Topic, records, bar.Report, ct);
            bar.Done();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"produced {records.Count} records to {options.Kafka.Topic}: {records.Count(r => r.Kind == GeneratedKind.LateProne)} far behind the stream, {records.Count(r => r.Kind == GeneratedKind.Malformed)} malformed"));
            return 0;
        });
        return command;
    }

    private static Command Check()
    {
        var (count, seed) = (CountOption(), SeedOption());
        var top = new Option<int>("--top") { Description = "Customers to show.", DefaultValueFactory = _ => 5 };
        var command = new Command("check", "Compare the totals table and dead letters with totals computed directly from the generated input; exit 1 on any mismatch.") { count, seed, top };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (result, ct) =>
        {
            if (Options(result) is not { } options)
            {
                return 2;
            }

            var input = OrderStream.Generate(OrderStreamOptions.ForJob(options.Window, result.GetValue(count), result.GetValue(seed)));
            var table = await OrderTotalsReader.TotalsAsync(options.Postgres.ConnectionString, options.Postgres.Table, ct);
            var deadLetters = await OrderTotalsReader.DeadLettersAsync(options.Postgres.ConnectionString, options.Postgres.SinkSchema, options.JobName, ct);
            var prepared = await OrderTotalsReader.PreparedTransactionsAsync(options.Postgres.ConnectionString, options.JobName, ct);
            var report = OrderTotalsCheck.Run(input, options.Window, new OrderStreamOptions().Partitions, table, deadLetters);
            PrintTopCustomers(table, result.GetValue(top));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"windows: {table.Count}   dead letters: {report.DeadLetters} (malformed {report.Malformed}, late {report.LateRecords})   prepared transactions left: {prepared.Count}"));
            foreach (var problem in report.Problems)
            {
                Console.WriteLine("  mismatch: " + problem);
            }

            Console.WriteLine(report.Summary);
            return report.IsExact && prepared.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static void PrintTopCustomers(IReadOnlyList<WindowTotal> table, int top)
    {
        var customers = table.GroupBy(t => t.CustomerId)
            .Select(g => (Customer: g.Key, Total: g.Sum(t => t.Total), Orders: g.Sum(t => t.OrderCount), Windows: g.Count()))
            .OrderByDescending(c => c.Total).ThenBy(c => c.Customer, StringComparer.Ordinal).Take(top).ToList();
        Console.WriteLine($"{"customer",-10} {"total",14} {"orders",7} {"windows",8}");
        foreach (var c in customers)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.Customer,-10} {c.Total,14:N2} {c.Orders,7} {c.Windows,8}"));
        }
    }

    private static OrderTotalsSettings? Options(ParseResult result)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine([.. result.UnmatchedTokens.Select(a => a.StartsWith("--", StringComparison.Ordinal) ? a : "--" + a)])
            .Build();
        var reader = new SettingsReader(configuration);
        var settings = OrderTotalsSettings.Read(reader, reader.Text("Etl:JobName", OrderTotalsJob.DefaultName));
        if (reader.Problems.Count == 0)
        {
            return settings;
        }

        Console.Error.WriteLine($"etl demo: invalid configuration:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", reader.Problems)}");
        return null;
    }
}
