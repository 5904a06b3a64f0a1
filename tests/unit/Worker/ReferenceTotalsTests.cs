using Etl.Pipeline;
using Etl.Samples.OrderTotals.Configuration;
using Etl.Samples.OrderTotals.Demo;
using Etl.Samples.OrderTotals.Orders;

namespace Etl.Tests.Unit.Worker;

public class ReferenceTotalsTests
{
    private static readonly WindowSettings Tumbling = new() { Kind = WindowKind.Tumbling, Size = TimeSpan.FromMinutes(1), OutOfOrderness = TimeSpan.FromSeconds(5) };

    private static Order O(string id, string customer, decimal amount, long ts) => new(id, customer, amount, ts);

    [Fact]
    public void Compute_Tumbling_SumsPerCustomerAndWindowExactly()
    {
        var totals = ReferenceTotals.Compute([O("1", "a", 0.10m, 0), O("2", "a", 0.20m, 59_999), O("3", "a", 1m, 60_000), O("4", "b", 2m, 10)], Tumbling);

        Assert.Equal(new WindowTotal("a", 0, 60_000, 0.30m, 2), totals[("a", 0)]);
        Assert.Equal(new WindowTotal("a", 60_000, 120_000, 1m, 1), totals[("a", 60_000)]);
        Assert.Equal(new WindowTotal("b", 0, 60_000, 2m, 1), totals[("b", 0)]);
        Assert.Equal(3, totals.Count);
    }

    [Fact]
    public void Compute_Sliding_PutsAnOrderIntoSizeOverSlideWindows()
    {
        var sliding = Tumbling with { Kind = WindowKind.Sliding, Size = TimeSpan.FromSeconds(30), Slide = TimeSpan.FromSeconds(10) };

        var totals = ReferenceTotals.Compute([O("1", "a", 5m, 25_000)], sliding);

        Assert.Equal([0L, 10_000L, 20_000L], totals.Keys.Select(k => k.Start).Order());
        Assert.All(totals.Values, t => Assert.Equal(t.WindowStart + 30_000, t.WindowEnd));
    }

    [Fact]
    public void Compute_Session_MergesOrdersCloserThanTheGapIncludingTouching()
    {
        var session = Tumbling with { Kind = WindowKind.Session, Gap = TimeSpan.FromSeconds(10) };

        var totals = ReferenceTotals.Compute([O("1", "a", 1m, 0), O("2", "a", 2m, 10_000), O("3", "a", 4m, 30_000)], session);

        Assert.Equal(new WindowTotal("a", 0, 20_000, 3m, 2), totals[("a", 0)]);
        Assert.Equal(new WindowTotal("a", 30_000, 40_000, 4m, 1), totals[("a", 30_000)]);
    }

    [Fact]
    public void Generate_SameSeed_GivesTheSameBytes()
    {
        var options = new OrderStreamOptions { Count = 500, Seed = 7 };

        var a = OrderStream.Generate(options);
        var b = OrderStream.Generate(options);

        Assert.Equal(a.Select(r => Convert.ToBase64String(r.Value)), b.Select(r => Convert.ToBase64String(r.Value)));
        Assert.Contains(a, r => r.Kind == GeneratedKind.Malformed);
    }

    [Fact]
    public void Generate_ValidRecords_ParseBackToTheirOrdersAndMalformedOnesAreRejected()
    {
        var records = OrderStream.Generate(new OrderStreamOptions { Count = 2_000, Seed = 3, MalformedFraction = 0.05 });

        foreach (var record in records)
        {
            if (record.Order is { } order)
            {
                Assert.Equal(order, OrderJson.Parse(record.Value));
                Assert.Equal(OrderStream.PartitionOf(order.CustomerId, 4), record.Partition);
            }
            else
            {
                Assert.Throws<OrderFormatException>(() => OrderJson.Parse(record.Value));
            }
        }
    }

    [Fact]
    public void PossiblyLate_OnTimeOrdersWithinTheOutOfOrderness_AreNeverIncluded()
    {
        var records = OrderStream.Generate(new OrderStreamOptions { Count = 5_000, Seed = 11, LateFraction = 0.02 });

        var possiblyLate = LatenessBounds.PossiblyLate(records, Tumbling, 4);

        Assert.All(records.Where(r => r.Kind == GeneratedKind.OnTime), r => Assert.DoesNotContain(r.Order!.OrderId, possiblyLate));
        Assert.NotEmpty(possiblyLate);
    }

    [Fact]
    public void Check_ExactOutput_HasNoMismatchesAndAnyChangedCentIsFound()
    {
        var records = OrderStream.Generate(new OrderStreamOptions { Count = 3_000, Seed = 5 });
        var late = records.Where(r => r.Kind == GeneratedKind.LateProne).Take(3).Select(r => r.Order!).ToList();
        var accepted = records.Where(r => r.Order is not null).Select(r => r.Order!).Except(late);
        var table = ReferenceTotals.Compute(accepted, Tumbling).Values.ToList();
        var deadLetters = records.Where(r => r.Kind == GeneratedKind.Malformed).Select(r => new DeadLetterRow(DeadLetterReasons.Deserialization, r.Value, "bad"))
            .Concat(late.Select(o => new DeadLetterRow(DeadLetterReasons.Late, OrderStream.Json(o, false), "late"))).ToList();

        var exact = OrderTotalsCheck.Run(records, Tumbling, 4, table, deadLetters);
        table[0] = table[0] with { Total = table[0].Total + 0.01m };
        var off = OrderTotalsCheck.Run(records, Tumbling, 4, table, [.. deadLetters, deadLetters[0]]);

        Assert.True(exact.IsExact, string.Join('\n', exact.Problems));
        Assert.Equal(3, exact.LateRecords);
        Assert.Equal(1, off.Mismatches);
        Assert.Contains(off.Problems, p => p.Contains("dead-lettered 2 times", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_HostileRecords_ValidOnesParseBackAndTheOthersAreRejectedOrAheadOfTime()
    {
        var records = OrderStream.Generate(new OrderStreamOptions { Count = 3_000, Seed = 13, HostileFraction = 0.1 });

        foreach (var record in records)
        {
            switch (record.Kind)
            {
                case GeneratedKind.Malformed:
                    Assert.Throws<OrderFormatException>(() => OrderJson.Parse(record.Value));
                    break;
                case GeneratedKind.AheadOfTime:
                    // Well-formed: only the source's event-time bound turns it away.
                    Assert.Equal(9999, DateTimeOffset.FromUnixTimeMilliseconds(OrderJson.Parse(record.Value).Timestamp).Year);
                    Assert.Null(record.Order);
                    break;
                default:
                    Assert.Equal(record.Order, OrderJson.Parse(record.Value));
                    break;
            }
        }

        Assert.Contains(records, r => r.Kind == GeneratedKind.AheadOfTime);
        Assert.Contains(records, r => r.Order?.Amount == HostileInput.MaxAmount);
        Assert.Contains(records, r => r.Value.Contains((byte)0));
    }

    [Fact]
    public void Check_HostileStream_EachRecordExpectedOnceUnderItsReasonAndAWrongReasonIsFound()
    {
        var records = OrderStream.Generate(new OrderStreamOptions { Count = 3_000, Seed = 13, HostileFraction = 0.1, LateFraction = 0 });
        var table = ReferenceTotals.Compute(records.Where(r => r.Order is not null).Select(r => r.Order!), Tumbling).Values.ToList();
        var deadLetters = records
            .Where(r => r.Kind is GeneratedKind.Malformed or GeneratedKind.AheadOfTime)
            .Select(r => new DeadLetterRow(r.Kind == GeneratedKind.Malformed ? DeadLetterReasons.Deserialization : DeadLetterReasons.EventTimeAhead, r.Value, "bad"))
            .ToList();
        var ahead = deadLetters.FindIndex(d => d.Reason == DeadLetterReasons.EventTimeAhead);

        var exact = OrderTotalsCheck.Run(records, Tumbling, 4, table, deadLetters);
        var wrong = deadLetters.ToList();
        wrong[ahead] = wrong[ahead] with { Reason = DeadLetterReasons.Deserialization };
        var off = OrderTotalsCheck.Run(records, Tumbling, 4, table, wrong);

        Assert.True(exact.IsExact, string.Join('\n', exact.Problems));
        Assert.Equal(records.Count(r => r.Kind == GeneratedKind.AheadOfTime), exact.AheadOfTime);
        Assert.Contains(off.Problems, p => p.Contains("missing from the dead letters (expected 1 as 'event-time-ahead')", StringComparison.Ordinal));
        Assert.Contains(off.Problems, p => p.Contains("dead-lettered 1 times as 'deserialization', expected 0", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_SubMillisecondStep_SpreadsEventTimeOverTheStream()
    {
        // 10,000 orders/s: a step of 0.1 ms. Truncating the step to whole ms would put every order at one instant.
        var start = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        var records = OrderStream.Generate(new OrderStreamOptions
        {
            Count = 10_000,
            Seed = 9,
            Start = start,
            Step = TimeSpan.FromTicks(1_000),
            MalformedFraction = 0,
            LateFraction = 0,
            Jitter = TimeSpan.Zero,
        });

        var times = records.Select(r => r.Order!.Timestamp - start.ToUnixTimeMilliseconds()).ToList();
        Assert.Equal(0, times[0]);
        Assert.Equal(999, times[^1]);
        Assert.Equal(1_000, times.Distinct().Count());
    }
}
