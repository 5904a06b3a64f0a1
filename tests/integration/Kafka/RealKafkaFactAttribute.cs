using Etl.Tests.Integration.Infrastructure;

namespace Etl.Tests.Integration.Kafka;

/// <summary>
/// A test that needs broker features the mock cluster lacks (CreatePartitions); skipped, with the reason
/// shown, when the Kafka under test is the mock (see <see cref="TestServices"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RealKafkaFactAttribute : FactAttribute
{
    public RealKafkaFactAttribute()
    {
        if (TestServices.HasMockKafkaControl)
        {
            Skip = "Needs a real Kafka broker (the mock cluster cannot add partitions to a topic): set KAFKA_BOOTSTRAP_SERVERS without ETL_KAFKA_CONTROL, or run where a Docker engine is reachable.";
        }
    }
}
