using System.Text.Json.Serialization;

namespace Etl.Connectors.Kafka;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(KafkaSourceState))]
internal sealed partial class KafkaSourceStateJsonContext : JsonSerializerContext;
