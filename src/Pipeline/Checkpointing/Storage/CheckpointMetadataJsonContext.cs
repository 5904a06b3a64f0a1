using System.Text.Json.Serialization;

namespace Etl.Pipeline.Checkpointing.Storage;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(CheckpointMetadata))]
internal sealed partial class CheckpointMetadataJsonContext : JsonSerializerContext;
