namespace Etl.Hosting.Http;

/// <summary>GET /job/throughput: records in and out per second of each operator, one point per second over the last minutes, oldest first.</summary>
internal sealed record ThroughputView(IReadOnlyList<ThroughputPoint> Points);
