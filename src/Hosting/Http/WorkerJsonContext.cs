using System.Text.Json.Serialization;

namespace Etl.Hosting.Http;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = false)]
[JsonSerializable(typeof(SavepointResult))]
[JsonSerializable(typeof(WorkerStatus))]
[JsonSerializable(typeof(EndpointError))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext;
