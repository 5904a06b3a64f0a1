using Etl.Pipeline;
using Etl.Pipeline.Windows;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Job;
using Etl.Samples.OrderTotals.Orders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Bench;

/// <summary>
/// The window state's memory: the job's own window operator (<see cref="OrderTotalsJob.WindowOperator"/>, order-total
/// accumulator) holding <c>keys</c> live windows, one per customer in one long (1 h) window, as a deserialiser would feed
/// it (each customer id a fresh string). Heap per live window = the managed heap after a full collection with the windows
/// open minus before, over the windows (the key strings included: the state holds them); checkpoint bytes per live window
/// = the size of the operator's snapshot over the windows.
/// </summary>
internal static class EndToEndWindowMemory
{
    public static async Task<(double HeapPerWindow, double KeyStringBytes, double CheckpointPerWindow)> RunAsync(int keys, CancellationToken cancellationToken)
    {
        var windows = new WindowSettings { Size = TimeSpan.FromHours(1) };
        var output = new WindowCountingCollector<WindowResult<string, OrderTotal>>();
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000;
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var op = OrderTotalsJob.WindowOperator(windows);
        await op.OpenAsync(new OperatorContext("bench", "window", 0, 1, 128, null, TimeProvider.System, NullLoggerFactory.Instance), cancellationToken);
        long keyBytes = 0;
        for (var i = 0; i < keys; i++)
        {
            // The demo generator's customer ids (c-0042), so the key strings are as long as the job's.
            var customer = $"c-{i:D4}";
            keyBytes += (22 + (2 * customer.Length) + 7) / 8 * 8; // a string object on 64-bit .NET, 8-byte aligned
            var order = new Order($"o-{i}", customer, 12.34m, start + (i % 3_000_000));
            await op.ProcessAsync(new StreamRecord<Order>(order, order.Timestamp), output, cancellationToken);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var snapshot = await op.SnapshotStateAsync(new CheckpointId(1), cancellationToken);
        GC.KeepAlive(op);
        if (output.Results != 0 || output.DeadLetters != 0)
        {
            throw new InvalidOperationException($"The memory run fired {output.Results} windows and dead-lettered {output.DeadLetters} records; it must only hold them.");
        }

        await op.DisposeAsync();
        return ((after - before) / (double)keys, keyBytes / (double)keys, snapshot.SizeInBytes / (double)keys);
    }
}
