using System.Text.Json.Serialization;

namespace Etl.Tests.Unit.Windows;

[JsonSerializable(typeof(TraceAccumulator))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(LargestOrder))]
internal sealed partial class WindowTestJsonContext : JsonSerializerContext;
