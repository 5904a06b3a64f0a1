using System.Diagnostics.Metrics;
using Etl.Worker.Metrics;

namespace Etl.Tests.Unit.Worker;

public class PrometheusTextTests
{
    [Theory]
    [InlineData("etl.records.in", "{record}", "counter", "etl_records_in_total")]
    [InlineData("etl.checkpoint.duration", "ms", "histogram", "etl_checkpoint_duration_milliseconds")]
    [InlineData("etl.checkpoint.size", "By", "histogram", "etl_checkpoint_size_bytes")]
    [InlineData("etl.checkpoint.last_completed_id", "{id}", "gauge", "etl_checkpoint_last_completed_id")]
    [InlineData("9-lives", null, "gauge", "_9_lives")]
    public void Metric_InstrumentName_FollowsPrometheusConventions(string instrument, string? unit, string type, string expected)
    {
        Assert.Equal(expected, PrometheusNames.Metric(instrument, unit, Enum.Parse<MetricType>(type, ignoreCase: true)));
    }

    [Fact]
    public void Format_FamilyWithLabels_WritesHelpTypeAndEscapedSamples()
    {
        var family = new MetricFamily("etl_records_in_total", MetricType.Counter, "Records in.\nPer operator.",
            [new MetricSample("", [new("operator", "a\"b\\c")], 42)]);

        var text = PrometheusText.Format([family]);

        Assert.Equal(
            "# HELP etl_records_in_total Records in.\\nPer operator.\n" +
            "# TYPE etl_records_in_total counter\n" +
            "etl_records_in_total{operator=\"a\\\"b\\\\c\"} 42\n",
            text);
    }

    [Fact]
    public void Collector_CountersHistogramsAndGauges_AreExported()
    {
        var meterName = "Etl.Test." + Guid.NewGuid().ToString("N");
        using var collector = new MeterCollector(meterName);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("etl.test.records", "{record}", "Test records.");
        var histogram = meter.CreateHistogram<double>("etl.test.duration", "ms", "Test duration.");
        var gauge = 7L;
        meter.CreateObservableGauge("etl.test.last_id", () => gauge, "{id}", "Test gauge.");

        counter.Add(3, new KeyValuePair<string, object?>("operator", "window"));
        counter.Add(4, new KeyValuePair<string, object?>("operator", "window"));
        counter.Add(1, new KeyValuePair<string, object?>("operator", "sink"));
        histogram.Record(3);
        histogram.Record(700);
        gauge = 9;
        var text = collector.ToPrometheusText();

        Assert.Contains("etl_test_records_total{operator=\"window\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_records_total{operator=\"sink\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE etl_test_duration_milliseconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_duration_milliseconds_bucket{le=\"5\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_duration_milliseconds_bucket{le=\"1000\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_duration_milliseconds_bucket{le=\"+Inf\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_duration_milliseconds_sum 703\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_duration_milliseconds_count 2\n", text, StringComparison.Ordinal);
        Assert.Contains("etl_test_last_id 9\n", text, StringComparison.Ordinal);
    }
}
