using Etl.Pipeline;
using Etl.Pipeline.Aggregation;
using Etl.Pipeline.State;
using Etl.Pipeline.Windows;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Windows;

/// <summary>Short ways to build a window operator over <see cref="Order"/> for scenario tests.</summary>
internal static class Scenario
{
    public static IOperator<Order, WindowResult<string, TResult>> Operator<TAcc, TResult>(
        WindowAssigner assigner, IAggregate<Order, TAcc, TResult> aggregate, long latenessMs = 0) =>
        WindowedAggregate.Create(
            assigner, (Order o) => o.Customer, KeyFormats.Strings, aggregate,
            new WindowOptions<Order>(LateRecordSerializers.Json(WindowTestJsonContext.Default.Order))
            {
                AllowedLateness = TimeSpan.FromMilliseconds(latenessMs),
            });

    public static Task<OperatorHarness<Order, WindowResult<string, TResult>>> OpenAsync<TAcc, TResult>(
        WindowAssigner assigner, IAggregate<Order, TAcc, TResult> aggregate, long latenessMs = 0) =>
        OperatorHarness.OpenAsync(Operator(assigner, aggregate, latenessMs));

    public static Task<OperatorHarness<Order, WindowResult<string, TResult>>> RestoreAsync<TAcc, TResult>(
        WindowAssigner assigner, IAggregate<Order, TAcc, TResult> aggregate, OperatorSnapshot snapshot, long latenessMs = 0) =>
        OperatorHarness.RestoreAsync(Operator(assigner, aggregate, latenessMs), new CheckpointId(1), snapshot);

    public static TimeSpan Ms(long value) => TimeSpan.FromMilliseconds(value);
}
