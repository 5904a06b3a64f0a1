namespace Etl.Pipeline.Restart;

internal sealed class NoRestartStrategy : IRestartStrategy
{
    private int _failures;

    public RestartDecision OnFailure() =>
        RestartDecision.Fail(++_failures, "the restart strategy is none: a failure fails the job");
}
