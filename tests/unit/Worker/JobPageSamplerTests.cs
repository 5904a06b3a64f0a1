using Etl.Hosting.Http;

namespace Etl.Tests.Unit.Worker;

/// <summary>The job page's rates: per second from one-second samples of the metric totals.</summary>
public sealed class JobPageSamplerTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Current_BeforeTwoSamples_IsEmpty()
    {
        var sampler = new JobPageSampler();
        sampler.Add(Sample(0, 100, 0));

        Assert.Empty(sampler.Current().RecordsIn);
        Assert.Empty(sampler.Series());
    }

    [Fact]
    public void Current_IsTheRateOverTheLastFiveSeconds_BackPressureInMsPerSecond()
    {
        var sampler = new JobPageSampler();
        // 1,000 records/s for 10 s, then 3,000/s; the subtask waits 250 ms of every second (in microseconds).
        long records = 0, waited = 0;
        for (var second = 0; second <= 15; second++)
        {
            sampler.Add(Sample(second, records, waited));
            records += second < 10 ? 1_000 : 3_000;
            waited += 250_000;
        }

        var rates = sampler.Current();
        Assert.Equal(3_000, rates.RecordsIn["windows"]);
        Assert.Equal(3_000, rates.RecordsOut["windows"]);
        Assert.Equal(250, rates.BackPressuredMsPerSecond[("windows", 1)], 6);
        var series = sampler.Series();
        Assert.Equal(15, series.Count);
        Assert.Equal(1_000, series[0].RecordsInPerSecond["windows"]);
        Assert.Equal(3_000, series[^1].RecordsInPerSecond["windows"]);
        Assert.Equal(Start.AddSeconds(15), series[^1].At);
    }

    [Fact]
    public void Samples_BeyondCapacity_DropTheOldest()
    {
        var sampler = new JobPageSampler(capacity: 3);
        for (var second = 0; second < 10; second++)
        {
            sampler.Add(Sample(second, second * 10L, 0));
        }

        Assert.Equal([Start.AddSeconds(8), Start.AddSeconds(9)], sampler.Series().Select(p => p.At));
    }

    [Fact]
    public void Current_TotalsThatRestart_NeverGiveANegativeRate()
    {
        var sampler = new JobPageSampler();
        sampler.Add(Sample(0, 500, 0));
        sampler.Add(Sample(1, 100, 0));

        Assert.Equal(0, sampler.Current().RecordsIn["windows"]);
    }

    private static JobPageSampler.Sample Sample(int second, long records, long waitedMicroseconds) => new(
        Start.AddSeconds(second),
        new Dictionary<string, long> { ["windows"] = records },
        new Dictionary<string, long> { ["windows"] = records },
        new Dictionary<(string, int), long> { [("windows", 1)] = waitedMicroseconds });
}
