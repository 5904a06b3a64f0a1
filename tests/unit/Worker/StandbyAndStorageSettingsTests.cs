using Etl.Hosting.Configuration;
using Microsoft.Extensions.Configuration;

namespace Etl.Tests.Unit.Worker;

/// <summary>The host's Etl:Standby and Etl:Checkpoints:S3/Hdfs settings as <c>etl run</c> reads and validates them.</summary>
public class StandbyAndStorageSettingsTests
{
    private static WorkerOptions Read(params (string Key, string? Value)[] settings) =>
        WorkerOptionsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build());

    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings) =>
        Assert.Throws<WorkerOptionsException>(() => Read(settings)).Problems;

    [Fact]
    public void Read_Standby_IsOffByDefaultAndOnWhenSet()
    {
        Assert.False(Read().Standby);
        Assert.True(Read(("Etl:Standby", "true")).Standby);
    }

    [Fact]
    public void Read_StandbyNotABoolean_IsReportedUnderItsKey() =>
        Assert.Contains("Etl:Standby: 'sometimes' is not true or false.", Problems(("Etl:Standby", "sometimes")));

    [Theory]
    [InlineData("Etl:FromCheckpoint", "/tmp/chk-3", "Etl:Standby: cannot be combined with Etl:FromCheckpoint")]
    [InlineData("Etl:StartFresh", "true", "Etl:Standby: cannot be combined with Etl:StartFresh")]
    public void Read_StandbyWithAFixedStart_IsRefused(string key, string value, string expected) =>
        Assert.Contains(Problems(("Etl:Standby", "true"), (key, value)), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Read_S3Endpoints_CommaSeparatedOrAsAList()
    {
        var commas = Read(("Etl:Checkpoints:S3:Endpoints", "http://127.0.0.1:7480, http://127.0.0.1:7481"));
        var list = Read(("Etl:Checkpoints:S3:Endpoints:0", "http://127.0.0.1:7480"), ("Etl:Checkpoints:S3:Endpoints:1", "http://127.0.0.1:7481"));

        Assert.Equal(["http://127.0.0.1:7480", "http://127.0.0.1:7481"], commas.Checkpoints.S3.Endpoints);
        Assert.Equal(["http://127.0.0.1:7480", "http://127.0.0.1:7481"], list.Checkpoints.S3.Endpoints);
        Assert.Null(Read().Checkpoints.S3.Endpoints);
    }

    [Theory]
    [InlineData("Etl:Checkpoints:S3:Endpoints", "127.0.0.1:7480")]
    [InlineData("Etl:Checkpoints:S3:Region", " ")]
    [InlineData("Etl:Checkpoints:S3:Profile", "")]
    [InlineData("Etl:Checkpoints:Hdfs:ConfDir", "/no/such/hadoop/conf")]
    [InlineData("Etl:Checkpoints:Hdfs:User", "a b")]
    public void Read_BadStorageSetting_IsReportedUnderItsKey(string key, string value) =>
        Assert.Contains(Problems((key, value)), p => p.StartsWith(key + ": ", StringComparison.Ordinal));

    [Fact]
    public void Read_HdfsProperties_AreTheHadoopKeys()
    {
        var options = Read(("Etl:Checkpoints:Hdfs:Properties:dfs.nameservices", "ns"), ("Etl:Checkpoints:Hdfs:Properties:dfs.ha.namenodes.ns", "nn1,nn2"));

        Assert.Equal("ns", options.Checkpoints.Hdfs.Properties!["dfs.nameservices"]);
        Assert.Equal("nn1,nn2", options.Checkpoints.Hdfs.Properties["dfs.ha.namenodes.ns"]);
    }
}
