namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// A test that injects faults through the mock cluster's control endpoint; skipped (with the reason shown)
/// against a real Kafka, external or in a container, where there is no control endpoint (see <see cref="TestServices"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MockKafkaFactAttribute : FactAttribute
{
    public MockKafkaFactAttribute()
    {
        if (!TestServices.HasMockKafkaControl)
        {
            Skip = $"Needs the mock Kafka's control endpoint (ETL_KAFKA_CONTROL) to inject faults; the Kafka under test is {TestServices.KafkaDescription}.";
        }
    }
}
