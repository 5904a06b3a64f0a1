using System.Globalization;
using Etl.Pipeline;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Samples.OrderTotals.Demo;

/// <summary>
/// Compares the pipeline's output with the generated input: every malformed record is a dead letter
/// exactly once (<c>deserialization</c>; a year-9999 order <c>event-time-ahead</c>); every late dead letter is an order that may be late (<see cref="LatenessBounds"/>), once;
/// and the totals table equals the reference totals of all other valid orders, window by window, to the cent.
/// </summary>
internal static class OrderTotalsCheck
{
    private const int MaxListed = 20;

    public static CheckReport Run(
        IReadOnlyList<GeneratedOrder> input, WindowSettings window, int partitions,
        IReadOnlyList<WindowTotal> table, IReadOnlyList<DeadLetterRow> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(deadLetters);
        var problems = new List<string>();

        // Records the source must dead-let, each exactly once, by reason and raw value.
        var expected = input.Where(r => ExpectedReason(r.Kind) is not null)
            .GroupBy(r => (Reason: ExpectedReason(r.Kind)!, Value: Convert.ToBase64String(r.Value)))
            .ToDictionary(g => g.Key, g => g.Count());
        var seen = new Dictionary<(string Reason, string Value), int>();
        var late = new HashSet<string>(StringComparer.Ordinal);
        var orders = input.Where(r => r.Order is not null).ToDictionary(r => r.Order!.OrderId, r => r.Order!, StringComparer.Ordinal);
        var possiblyLate = LatenessBounds.PossiblyLate(input, window, partitions);
        foreach (var dl in deadLetters)
        {
            switch (dl.Reason)
            {
                case DeadLetterReasons.Deserialization or DeadLetterReasons.EventTimeAhead:
                    var key = (dl.Reason, Convert.ToBase64String(dl.Value ?? []));
                    seen[key] = seen.GetValueOrDefault(key) + 1;
                    break;
                case DeadLetterReasons.Late:
                    CheckLate(dl, orders, possiblyLate, late, problems);
                    break;
                default:
                    problems.Add($"dead letter with unexpected reason '{dl.Reason}': {dl.Error}");
                    break;
            }
        }

        foreach (var ((reason, value), count) in seen.Where(s => s.Value != expected.GetValueOrDefault(s.Key)))
        {
            problems.Add($"record dead-lettered {count} times as '{reason}', expected {expected.GetValueOrDefault((reason, value))}: {Text(value)}");
        }

        foreach (var ((reason, value), count) in expected.Where(m => !seen.ContainsKey(m.Key)))
        {
            problems.Add($"record missing from the dead letters (expected {count} as '{reason}'): {Text(value)}");
        }

        var accepted = orders.Values.Where(o => !late.Contains(o.OrderId));
        var reference = ReferenceTotals.Compute(accepted, window);
        var mismatches = CompareTotals(reference, table, problems);
        return new CheckReport(
            reference.Count, mismatches, deadLetters.Count, Expected(DeadLetterReasons.Deserialization), Expected(DeadLetterReasons.EventTimeAhead), late.Count, problems);

        int Expected(string reason) => expected.Where(e => e.Key.Reason == reason).Sum(e => e.Value);
    }

    /// <summary>The dead-letter reason a generated record must get from the source, or null for an order.</summary>
    private static string? ExpectedReason(GeneratedKind kind) => kind switch
    {
        GeneratedKind.Malformed => DeadLetterReasons.Deserialization,
        GeneratedKind.AheadOfTime => DeadLetterReasons.EventTimeAhead,
        GeneratedKind.OnTime or GeneratedKind.LateProne => null,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static void CheckLate(
        DeadLetterRow dl, Dictionary<string, Order> orders, IReadOnlySet<string> possiblyLate, HashSet<string> late, List<string> problems)
    {
        Order order;
        try
        {
            order = OrderJson.Parse(dl.Value ?? []);
        }
        catch (OrderFormatException e)
        {
            problems.Add($"late dead letter that is not an order ({e.Message})");
            return;
        }

        if (!orders.TryGetValue(order.OrderId, out var generated) || generated != order)
        {
            problems.Add($"late dead letter {order.OrderId} does not match any generated order");
        }
        else if (!possiblyLate.Contains(order.OrderId))
        {
            problems.Add($"order {order.OrderId} was sent to the late output but cannot have been late");
        }

        if (!late.Add(order.OrderId))
        {
            problems.Add($"order {order.OrderId} was dead-lettered as late more than once");
        }
    }

    private static int CompareTotals(IReadOnlyDictionary<(string Customer, long Start), WindowTotal> reference, IReadOnlyList<WindowTotal> table, List<string> problems)
    {
        var mismatches = 0;
        var actual = new Dictionary<(string, long), WindowTotal>();
        foreach (var row in table)
        {
            if (!actual.TryAdd((row.CustomerId, row.WindowStart), row))
            {
                mismatches++;
                Report(problems, $"duplicate row {row.CustomerId} @ {OrderStream.Timestamp(row.WindowStart)}");
            }
        }

        foreach (var (key, expected) in reference)
        {
            if (!actual.TryGetValue(key, out var got))
            {
                mismatches++;
                Report(problems, $"missing window {expected.CustomerId} @ {OrderStream.Timestamp(expected.WindowStart)}: expected {expected.Total} in {expected.OrderCount} orders");
            }
            else if (got.Total != expected.Total || got.OrderCount != expected.OrderCount || got.WindowEnd != expected.WindowEnd)
            {
                mismatches++;
                Report(problems, $"window {expected.CustomerId} @ {OrderStream.Timestamp(expected.WindowStart)}: table has {got.Total} in {got.OrderCount} orders " +
                    $"(end {OrderStream.Timestamp(got.WindowEnd)}), expected {expected.Total} in {expected.OrderCount} (end {OrderStream.Timestamp(expected.WindowEnd)})");
            }
        }

        foreach (var (key, extra) in actual.Where(a => !reference.ContainsKey(a.Key)))
        {
            mismatches++;
            Report(problems, $"unexpected window {key.Item1} @ {OrderStream.Timestamp(key.Item2)}: {extra.Total} in {extra.OrderCount} orders");
        }

        return mismatches;

        static void Report(List<string> problems, string text)
        {
            if (problems.Count < MaxListed)
            {
                problems.Add(text);
            }
        }
    }

    /// <summary>
    /// A raw value for a problem line: invalid UTF-8 as U+FFFD, control characters (NUL among them) escaped, so that
    /// test logs and XML reports stay printable.
    /// </summary>
    private static string Text(string base64)
    {
        var text = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        var shown = text.Length <= 120 ? text : string.Concat(text.AsSpan(0, 120), "...");
        var escaped = new System.Text.StringBuilder(shown.Length);
        foreach (var c in shown)
        {
            escaped.Append(char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString(CultureInfo.InvariantCulture));
        }

        return escaped.ToString();
    }
}
