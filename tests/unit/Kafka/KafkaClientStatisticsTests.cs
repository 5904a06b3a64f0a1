using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Etl.Connectors.Kafka;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Kafka;

public sealed class KafkaClientStatisticsTests
{
    private static readonly string Sample = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Kafka", "librdkafka-statistics.json"));

    [Fact]
    public void Parse_ConsumerReport_ReadsLagPerPartitionAndErrorsPerBroker()
    {
        var report = KafkaClientStatistics.Parse(Sample);

        Assert.Equal("rdkafka#consumer-2", report.ClientName);
        Assert.Equal("consumer", report.ClientType);
        Assert.Equal(
            [new("obs1", 0, 0), new("obs1", 1, 0), new("obs1", 2, 250), new("obs1", 3, 0)],
            report.Lags.OrderBy(l => l.Partition).ToList());
        Assert.Equal(4, report.Brokers.Count);
        Assert.Contains(new KafkaClientStatistics.BrokerErrors("127.0.0.1:37799/2", 3, 1, 2), report.Brokers);
        Assert.Contains(new KafkaClientStatistics.BrokerErrors("127.0.0.1:41425/1", 0, 0, 0), report.Brokers);
    }

    [Fact]
    public void Parse_UnknownLagAndInternalBroker_AreLeftOut()
    {
        var report = KafkaClientStatistics.Parse("""
            {"name": "p#producer-1", "type": "producer",
             "brokers": {":0/internal": {"name": ":0/internal", "nodeid": -1, "source": "internal", "txerrs": 9}},
             "topics": {"t": {"topic": "t", "partitions": {"0": {"partition": 0, "consumer_lag": -1}, "-1": {"partition": -1, "consumer_lag": 5}}}}}
            """);

        Assert.Equal("producer", report.ClientType);
        Assert.Empty(report.Lags);
        Assert.Empty(report.Brokers);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"type\": \"consumer\"}")]
    public void Parse_NotAReport_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => KafkaClientStatistics.Parse(json));
    }

    [Fact]
    public void Parse_TruncatedJson_ThrowsJsonException()
    {
        Assert.ThrowsAny<JsonException>(() => KafkaClientStatistics.Parse(Sample[..200]));
    }

    [Fact]
    public void Reports_NextReportOfAClient_AddsOnlyWhatTheTotalsGrew()
    {
        var reports = new KafkaClientReports(new ManualTimeProvider());
        var first = KafkaClientStatistics.Parse(Sample);

        var firstIncreases = reports.Add(first);
        var later = first with { Brokers = [.. first.Brokers.Select(b => b.Broker.EndsWith("/2", StringComparison.Ordinal) ? b with { TransmitErrors = 5 } : b)] };
        var laterIncreases = reports.Add(later);

        Assert.Equal(
            [new("127.0.0.1:37799/2", "transmit", 3), new("127.0.0.1:37799/2", "receive", 1), new("127.0.0.1:37799/2", "timeout", 2)],
            firstIncreases);
        Assert.Equal([new KafkaClientReports.ErrorIncrease("127.0.0.1:37799/2", "transmit", 2)], laterIncreases);
    }

    [Fact]
    public void Reports_TwoClientsOfOnePartition_TheNewerReportWins()
    {
        var time = new ManualTimeProvider();
        var reports = new KafkaClientReports(time);
        var old = KafkaClientStatistics.Parse(Sample);
        reports.Add(old);
        time.Advance(TimeSpan.FromSeconds(1));

        reports.Add(old with { ClientName = "rdkafka#consumer-9", Lags = [new("obs1", 2, 40)] });

        Assert.Equal(40, reports.Lags().Single(l => l.Partition == 2).Lag);
        Assert.Equal(4, reports.Lags().Count);
    }

    [Fact]
    public void Reports_ClientSilentForThreeIntervals_IsForgotten()
    {
        var time = new ManualTimeProvider();
        var reports = new KafkaClientReports(time);
        var report = KafkaClientStatistics.Parse(Sample);
        reports.Add(report);
        time.Advance(TimeSpan.FromMinutes(1));
        reports.Add(report);

        time.Advance(TimeSpan.FromMinutes(2.5));
        Assert.Equal(4, reports.Lags().Count);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(reports.Lags());
    }

    [Fact]
    public void Record_Report_CountsRequestErrorsAndPublishesLagOnTheEtlMeter()
    {
        var client = "rdkafka#consumer-" + Guid.NewGuid().ToString("N");
        var errors = new ConcurrentBag<(long Value, string Error)>();
        var lags = new ConcurrentBag<(long Value, string Partition)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Etl" && instrument.Name is KafkaClientMetrics.RequestErrorsName or KafkaClientMetrics.ConsumerLagName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tagged = tags.ToArray().ToDictionary(t => t.Key, t => Convert.ToString(t.Value, System.Globalization.CultureInfo.InvariantCulture));
            if (instrument.Name == KafkaClientMetrics.RequestErrorsName && tagged.GetValueOrDefault("broker") == "127.0.0.1:37799/2")
            {
                errors.Add((value, tagged["error"]!));
            }
            else if (instrument.Name == KafkaClientMetrics.ConsumerLagName && tagged.GetValueOrDefault("topic") == "obs1")
            {
                lags.Add((value, tagged["partition"]!));
            }
        });
        listener.Start();

        KafkaClientMetrics.Record(Sample.Replace("rdkafka#consumer-2", client, StringComparison.Ordinal));
        KafkaClientMetrics.Record("not json at all");
        listener.RecordObservableInstruments();

        Assert.Contains((3L, "transmit"), errors);
        Assert.Contains((2L, "timeout"), errors);
        Assert.Contains((250L, "2"), lags);
    }
}
