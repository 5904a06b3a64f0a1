namespace Etl.Tests.Integration.Infrastructure;

/// <summary>
/// A test that injects faults through the mock cluster's control endpoint; skipped (with the reason shown)
/// against a real Kafka, where ETL_KAFKA_CONTROL is absent.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MockKafkaFactAttribute : FactAttribute
{
    public MockKafkaFactAttribute()
    {
        if (!LocalServices.HasMockKafkaControl)
        {
            Skip = "Needs the mock Kafka's control endpoint (ETL_KAFKA_CONTROL); the Kafka under test is external.";
        }
    }
}
