namespace Etl.DevServices.Kafka;

/// <summary>What <c>GET /health</c> on the mock Kafka control endpoint answers.</summary>
public sealed record MockKafkaHealth(string BootstrapServers, int BrokerCount, int ProcessId, string Librdkafka);
