using System.Text.Json.Serialization;

namespace Etl.Samples.OrderTotals.Orders;

/// <summary>Escapes ids for <see cref="OrderJson.Serialize"/>.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class OrderJsonContext : JsonSerializerContext;
