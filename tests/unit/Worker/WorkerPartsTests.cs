using Etl.Connectors.Postgres;
using Etl.Pipeline.Faults;
using Etl.Pipeline.Restart;
using Etl.Worker.Configuration;
using Etl.Worker.Faults;
using Etl.Worker.Job;

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
        var problem = Assert.Single(Assert.Throws<WorkerOptionsException>(() => FaultPlan.Parse(text)).Problems);
        Assert.StartsWith("ETL_FAULT:", problem, StringComparison.Ordinal);
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
    public void JobReadiness_ReadyOnlyWhenEverySinkSubtaskOfTheCurrentAttemptOpened()
    {
        var readiness = new JobReadiness(2);

        readiness.SinkOpened(1);
        Assert.False(readiness.IsReady(1));
        readiness.SinkOpened(1);
        Assert.True(readiness.IsReady(1));
        Assert.False(readiness.IsReady(2));
        readiness.SinkOpened(2);
        Assert.False(readiness.IsReady(2));
    }

    [Fact]
    public void RestartPolicy_AfterAFatalSinkError_FailsInsteadOfRestarting()
    {
        var fatal = new FatalFailures();
        var policy = RestartPolicy.Create(new RestartSettings { Strategy = "fixed-delay", Attempts = 10 }, TimeProvider.System, fatal);

        Assert.True(policy.OnFailure().ShouldRestart);
        Assert.False(fatal.Observe(new InvalidOperationException("transient")));
        Assert.True(policy.OnFailure().ShouldRestart);
        fatal.Observe(new AggregateException(new SinkInstanceConflictException("another worker holds subtask 0")));
        var decision = policy.OnFailure();

        Assert.False(decision.ShouldRestart);
        Assert.Contains("another worker holds subtask 0", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", RestartStrategyKind.None)]
    [InlineData("fixed-delay", RestartStrategyKind.FixedDelay)]
    [InlineData("exponential-delay", RestartStrategyKind.ExponentialDelay)]
    [InlineData("failure-rate", RestartStrategyKind.FailureRate)]
    public void RestartPolicy_Options_MapFlinkNames(string strategy, RestartStrategyKind kind)
    {
        Assert.Equal(kind, RestartPolicy.Options(new RestartSettings { Strategy = strategy }).Kind);
    }
}
