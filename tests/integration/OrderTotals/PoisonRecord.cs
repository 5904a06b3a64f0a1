namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// One input record of the poison tests, as raw bytes: what it is (<see cref="Name"/>), what it must become (an order
/// of <see cref="Customer"/> when <see cref="ExpectedReason"/> is null, else a dead letter with that reason), and an
/// optional Kafka record timestamp (Unix ms) to stamp it with.
/// </summary>
internal sealed record PoisonRecord(string Name, byte[]? Key, byte[]? Value, string? ExpectedReason, string? Customer = null, long? KafkaTimestamp = null);
