using System.Text.Json.Serialization;

namespace Etl.Worker.Orders;

/// <summary>Escapes ids for <see cref="OrderJson.Serialize"/>.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class OrderJsonContext : JsonSerializerContext;
