namespace Etl.Connectors.Kafka;

/// <summary>
/// The latest statistics report of each Kafka client in the process, for the client metrics: the lag of every
/// partition from the clients still reporting, and how much each error total grew since a client's previous
/// report (counters must only grow, while a client's totals restart with each new client).
/// </summary>
internal sealed class KafkaClientReports(TimeProvider time)
{
    /// <summary>A client unheard of for this long, and for three of its reporting intervals, has been closed.</summary>
    public static readonly TimeSpan MinimumSilence = TimeSpan.FromSeconds(30);

    // Guards _clients: reports arrive on each client's polling thread, scrapes read from another.
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Client> _clients = new(StringComparer.Ordinal);

    /// <summary>Files a report and returns what each of its error totals added since the client's previous one.</summary>
    public IReadOnlyList<ErrorIncrease> Add(KafkaClientStatistics report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var now = time.GetUtcNow();
        var increases = new List<ErrorIncrease>();
        lock (_lock)
        {
            _clients.TryGetValue(report.ClientName, out var previous);
            foreach (var broker in report.Brokers)
            {
                var before = previous?.Report.Brokers.FirstOrDefault(b => b.Broker == broker.Broker);
                Increase(increases, broker.Broker, "transmit", broker.TransmitErrors, before?.TransmitErrors);
                Increase(increases, broker.Broker, "receive", broker.ReceiveErrors, before?.ReceiveErrors);
                Increase(increases, broker.Broker, "timeout", broker.RequestTimeouts, before?.RequestTimeouts);
            }

            _clients[report.ClientName] = new Client(report, now, previous is null ? null : now - previous.At);
            foreach (var gone in _clients.Where(c => IsSilent(c.Value, now)).Select(c => c.Key).ToList())
            {
                _clients.Remove(gone);
            }
        }

        return increases;
    }

    /// <summary>
    /// The lag of every partition some live client fetches. When two clients report one
    /// partition (a restarted job's new consumer while the old one is still remembered), the newer report wins.
    /// </summary>
    public IReadOnlyList<KafkaClientStatistics.PartitionLag> Lags()
    {
        var now = time.GetUtcNow();
        var lags = new Dictionary<(string, int), KafkaClientStatistics.PartitionLag>();
        lock (_lock)
        {
            foreach (var client in _clients.Values.Where(c => !IsSilent(c, now)).OrderBy(c => c.At))
            {
                foreach (var lag in client.Report.Lags)
                {
                    lags[(lag.Topic, lag.Partition)] = lag;
                }
            }
        }

        return [.. lags.Values];
    }

    private static void Increase(List<ErrorIncrease> increases, string broker, string error, long total, long? before)
    {
        // A total below the previous one would be a new client reusing a name: count it from zero.
        var added = before is { } b && total >= b ? total - b : total;
        if (added > 0)
        {
            increases.Add(new ErrorIncrease(broker, error, added));
        }
    }

    private static bool IsSilent(Client client, DateTimeOffset now)
    {
        var interval = client.Interval ?? TimeSpan.Zero;
        return now - client.At > (interval * 3 > MinimumSilence ? interval * 3 : MinimumSilence);
    }

    /// <summary>An error total of one broker connection grew by <paramref name="Count"/> (<paramref name="Error"/>: transmit, receive or timeout).</summary>
    internal sealed record ErrorIncrease(string Broker, string Error, long Count);

    private sealed record Client(KafkaClientStatistics Report, DateTimeOffset At, TimeSpan? Interval);
}
