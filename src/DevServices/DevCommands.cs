using System.CommandLine;
using System.Globalization;

namespace Etl.DevServices;

/// <summary>The <c>etl dev ...</c> command tree: local services and small Kafka clients for development and tests.</summary>
public static class DevCommands
{
    /// <summary>The <c>dev</c> command: <c>up</c>, <c>down</c>, <c>kafka</c>, <c>produce</c>, <c>consume</c>, <c>smoke</c>.</summary>
    public static Command Create()
    {
        var dev = new Command("dev", "Local services for development, tests and the demo (see docs/local-services.md).");
        dev.Subcommands.Add(Kafka());
        dev.Subcommands.Add(Up());
        dev.Subcommands.Add(Down());
        dev.Subcommands.Add(Produce());
        dev.Subcommands.Add(Consume());
        dev.Subcommands.Add(Smoke());
        return dev;
    }

    private static Option<int> BrokersOption() => new("--brokers")
    {
        Description = "Number of mock brokers (ids 1..N).",
        DefaultValueFactory = _ => 3,
    };

    private static Command Kafka()
    {
        var brokers = BrokersOption();
        var controlPort = new Option<int>("--control-port") { Description = "Loopback port of the HTTP control endpoint (0 = pick a free one)." };
        var command = new Command("kafka", "Host a librdkafka mock cluster in this process until SIGTERM/SIGINT.") { brokers, controlPort };
        command.SetAction((result, ct) => MockKafkaHost.RunAsync(result.GetValue(brokers), result.GetValue(controlPort), ct));
        return command;
    }

    private static Command Up()
    {
        var brokers = BrokersOption();
        var noS3 = new Option<bool>("--no-s3") { Description = "Do not start the one-node Ceph S3 store (about 20 s); S3 checkpoint storage then needs ETL_S3_ENDPOINTS." };
        var command = new Command(
            "up", "Start the mock Kafka host (detached), a throwaway PostgreSQL and a one-node Ceph S3 store; write .local/services.env.") { brokers, noS3 };
        command.SetAction((result, ct) => DevServices.UpAsync(result.GetValue(brokers), !result.GetValue(noS3), ct));
        return command;
    }

    private static Command Down()
    {
        var command = new Command("down", "Stop the services listed in .local/services.env and delete their directories.");
        command.SetAction((_, ct) => DevServices.DownAsync(ct));
        return command;
    }

    private static Option<string> BootstrapOption() => new("--bootstrap-servers")
    {
        Description = "Kafka bootstrap servers (default: KAFKA_BOOTSTRAP_SERVERS, else .local/services.env).",
    };

    private static Option<string> TopicOption() => new("--topic") { Description = "Topic name.", Required = true };

    private static Option<int> CountOption() => new("--count") { Description = "Number of records.", DefaultValueFactory = _ => 10 };

    private static Command Produce()
    {
        var (bootstrap, topic, count) = (BootstrapOption(), TopicOption(), CountOption());
        var prefix = new Option<string>("--prefix") { Description = "Value prefix: values are PREFIX-i.", DefaultValueFactory = _ => "record" };
        var lines = new Option<string>("--lines") { Description = "Produce each line of this file (- for standard input) as one record, instead of COUNT records PREFIX-i." };
        var command = new Command("produce", "Produce COUNT records (key i, value PREFIX-i), or the lines of a file, and wait for delivery.") { bootstrap, topic, count, prefix, lines };
        command.SetAction((result, ct) =>
        {
            var file = result.GetValue(lines);
            var values = file is null ? Enumerable.Range(0, result.GetValue(count)).Select(i => $"{result.GetValue(prefix)}-{i.ToString(CultureInfo.InvariantCulture)}")
                : file == "-" ? ReadLines(Console.In)
                : File.ReadLines(file);
            return DevKafkaClients.ProduceAsync(DevKafkaClients.ResolveBootstrapServers(result.GetValue(bootstrap)), result.GetValue(topic)!, values.Where(v => v.Length > 0), ct);
        });
        return command;
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static Command Consume()
    {
        var (bootstrap, topic, count) = (BootstrapOption(), TopicOption(), CountOption());
        var group = new Option<string>("--group") { Description = "Consumer group id.", DefaultValueFactory = _ => "etl-dev-consume" };
        var timeout = new Option<int>("--timeout-seconds") { Description = "Give up (exit 1) after this long.", DefaultValueFactory = _ => 30 };
        var assign = new Option<bool>("--assign")
        {
            Description = "Assign every partition at its earliest offset instead of joining --group (no rebalance wait, no offset commits), as the job's Kafka source does.",
        };
        var command = new Command("consume", "Consume COUNT records from the earliest offset, print one value per line, commit offsets (unless --assign).")
        {
            bootstrap, topic, count, group, timeout, assign,
        };
        command.SetAction((result, ct) => DevKafkaClients.ConsumeAsync(
            DevKafkaClients.ResolveBootstrapServers(result.GetValue(bootstrap)), result.GetValue(topic)!, result.GetValue(group)!,
            result.GetValue(count), TimeSpan.FromSeconds(result.GetValue(timeout)), result.GetValue(assign), ct));
        return command;
    }

    private static Command Smoke()
    {
        var command = new Command("smoke", "Kafka -> PostgreSQL end to end through PREPARE TRANSACTION / COMMIT PREPARED.");
        command.SetAction((_, ct) => SmokeDemo.RunAsync(ct));
        return command;
    }
}
