namespace Etl.Tests.Integration.Foundation;

/// <summary>
/// Fault injection on the shared mock cluster (a broker down, request errors for an API key) affects every
/// client of that cluster, so these tests run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MockFaultInjection
{
    public const string Name = "mock fault injection";
}
