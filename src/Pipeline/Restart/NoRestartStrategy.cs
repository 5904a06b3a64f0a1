namespace Etl.Pipeline.Restart;

internal sealed class NoRestartStrategy : IRestartStrategy
{
    private int _failures;

    public RestartDecision OnFailure(Exception failure) =>
        RestartDecision.Fail(++_failures, "the restart strategy is none: a failure fails the job");
}
