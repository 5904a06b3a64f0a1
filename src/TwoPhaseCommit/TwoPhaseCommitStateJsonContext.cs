using System.Text.Json.Serialization;

namespace Etl.TwoPhaseCommit;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TwoPhaseCommitState))]
internal sealed partial class TwoPhaseCommitStateJsonContext : JsonSerializerContext;
