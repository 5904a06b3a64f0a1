using Etl.Connectors.Postgres;
using Etl.Hosting;
using Etl.Hosting.Configuration;
using Etl.Hosting.Faults;
using Etl.Hosting.Job;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Restart;
using Microsoft.Extensions.Configuration;

namespace Etl.Tests.Unit.Worker;

public class WorkerPartsTests
{
    [Theory]
    [InlineData("after-prepare", FaultPoint.AfterPrepare, 1)]
    [InlineData("mid-metadata:2", FaultPoint.MidMetadata, 2)]
    [InlineData("AFTER_METADATA_BEFORE_NOTIFY:3", FaultPoint.AfterMetadataBeforeNotify, 3)]
    [InlineData(" after-commit-before-offsets ", FaultPoint.AfterCommitBeforeOffsets, 1)]
    public void FaultPlan_Parse_ReadsPointAndOccurrence(string text, FaultPoint point, int occurrence)
    {
        Assert.Equal(new FaultPlan(point, occurrence), FaultPlan.Parse(text));
    }

    [Theory]
    [InlineData("after-lunch")]
    [InlineData("after-prepare:0")]
    [InlineData("after-prepare:x")]
    [InlineData("after-prepare:1:2")]
    public void FaultPlan_Parse_Nonsense_NamesTheVariable(string text)
    {
        // As `etl run` reads it: the plan's own rule, reported under the variable's name.
        var reader = new SettingsReader(new ConfigurationBuilder().Build());
        reader.Check(FaultPlan.Variable, () => FaultPlan.Parse(text));
        var problem = Assert.Single(reader.Problems);
        Assert.StartsWith("ETL_FAULT:", problem, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultPlan_Unset_IsOff()
    {
        Assert.Null(FaultPlan.Parse(null));
        Assert.Null(FaultPlan.Parse(""));
    }

    [Fact]
    public void KillingFaultInjector_KillsNext_OnlyAtThePlannedOccurrence()
    {
        var injector = new KillingFaultInjector(new FaultPlan(FaultPoint.MidMetadata, 2));

        Assert.False(injector.KillsNext(FaultPoint.AfterPrepare));
        Assert.False(injector.KillsNext(FaultPoint.MidMetadata));
        injector.Reach(FaultPoint.MidMetadata);
        injector.Reach(FaultPoint.AfterPrepare);
        Assert.True(injector.KillsNext(FaultPoint.MidMetadata));
    }

    [Fact]
    public void RestartPolicy_AfterAFatalSinkError_FailsInsteadOfRestarting()
    {
        var policy = RestartPolicy.Create(
            new RestartStrategyOptions { Kind = RestartStrategyKind.FixedDelay, FixedDelay = new FixedDelayRestartOptions { Attempts = 10 } }, TimeProvider.System);

        Assert.True(policy.OnFailure(new InvalidOperationException("transient")).ShouldRestart);
        Assert.True(policy.OnFailure(new InvalidOperationException("transient again")).ShouldRestart);
        var decision = policy.OnFailure(
            new InvalidOperationException("subtask failed", new AggregateException(new SinkInstanceConflictException("another worker holds subtask 0"))));

        Assert.False(decision.ShouldRestart);
        Assert.Contains("another worker holds subtask 0", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", RestartStrategyKind.None)]
    [InlineData("fixed-delay", RestartStrategyKind.FixedDelay)]
    [InlineData("exponential-delay", RestartStrategyKind.ExponentialDelay)]
    [InlineData("failure-rate", RestartStrategyKind.FailureRate)]
    public void RestartSettings_FlinkNames_ReadIntoTheRuntimesOptions(string strategy, RestartStrategyKind kind)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Etl:Restart:Strategy"] = strategy }).Build();
        Assert.Equal(kind, WorkerOptionsReader.Read(configuration).Restart.Kind);
    }
}
