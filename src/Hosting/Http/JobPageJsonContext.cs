using System.Text.Json.Serialization;

namespace Etl.Hosting.Http;

/// <summary>The job page's JSON routes (GET /job, /job/checkpoints, /job/throughput), camelCase; read back by <c>etl checkpoints history</c>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(JobView))]
[JsonSerializable(typeof(CheckpointsView))]
[JsonSerializable(typeof(ThroughputView))]
internal sealed partial class JobPageJsonContext : JsonSerializerContext;
