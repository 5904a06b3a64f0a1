namespace Etl.Hosting.Configuration;

/// <summary>The worker's configuration is invalid; the message lists every bad setting by its key.</summary>
internal sealed class WorkerOptionsException : Exception
{
    public WorkerOptionsException()
    {
    }

    public WorkerOptionsException(string message)
        : base(message)
    {
    }

    public WorkerOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WorkerOptionsException(IReadOnlyList<string> problems)
        : base("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  " + p))) =>
        Problems = problems;

    public IReadOnlyList<string> Problems { get; } = [];
}
