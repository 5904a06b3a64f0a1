namespace Etl.Bench;

/// <summary>The benchmark's record: a customer's order amount (a struct, so generating it allocates nothing).</summary>
internal readonly record struct WindowBenchOrder(string Customer, decimal Amount);
