namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

public sealed class InjectedFailureException : Exception
{
    public InjectedFailureException(FaultPoint point) : base($"Injected failure at {point}.")
    {
    }

    public InjectedFailureException()
    {
    }

    public InjectedFailureException(string message) : base(message)
    {
    }

    public InjectedFailureException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
