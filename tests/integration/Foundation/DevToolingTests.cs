using Etl.Connectors.Kafka;
using Etl.DevServices;

namespace Etl.Tests.Integration.Foundation;

/// <summary>Pure checks of the dev tooling; they need no running service.</summary>
public sealed class DevToolingTests
{
    [Fact]
    public void ServicesFile_RoundTripsAConnectionStringWithSemicolonsAndQuotes()
    {
        var values = new Dictionary<string, string>
        {
            ["ETL_POSTGRES"] = "Host=127.0.0.1;Port=5432;Username=etl;Password=it's",
            ["KAFKA_BOOTSTRAP_SERVERS"] = "127.0.0.1:1,127.0.0.1:2",
        };

        var parsed = ServicesFile.Parse(ServicesFile.Format(values));

        Assert.Equal(values, parsed);
    }

    [Fact]
    public async Task KafkaNativeLibrary_LoadedFromManyThreadsAtOnce_LoadsTheBundledLibrdkafkaOnce()
    {
        var versions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => KafkaNativeLibrary.Version)));

        // Whatever librdkafka the machine has (Debian's 2.0.2 comes with kcat), the client runs the bundled build.
        Assert.All(versions, v => Assert.Equal(KafkaNativeLibrary.BundledVersion, v));
        Assert.Equal("2.16.0", KafkaNativeLibrary.BundledVersion);
        Assert.StartsWith(AppContext.BaseDirectory, KafkaNativeLibrary.LoadedFrom, StringComparison.Ordinal);
        Assert.Contains("librdkafka", Path.GetFileName(KafkaNativeLibrary.LoadedFrom), StringComparison.Ordinal);
    }
}
