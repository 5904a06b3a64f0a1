using System.Text.Json.Serialization;

namespace Etl.DevServices.Kafka;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(MockKafkaHealth))]
[JsonSerializable(typeof(MockKafkaRequest[]))]
internal sealed partial class MockKafkaJsonContext : JsonSerializerContext;
