using System.Globalization;
using System.Text;

namespace Etl.Tests.Integration.OrderTotals;

/// <summary>
/// Issue 13, scenarios 10-12, through the real <c>etl run</c>: no input record, however malformed, fails an epoch;
/// valid input never overflows the totals table; one absurd timestamp does not poison event time.
/// </summary>
public sealed class OrderTotalsPoisonTests
{
    private const string T0 = "2026-11-21T10:00:01.000Z";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task BoundedRun_HostileRecords_EachBecomesAnOrderOrADeadLetterAndTheRunFinishes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var job = await PoisonJob.CreateAsync(ct);
        var records = HostileRecords();
        await job.ProduceAsync(records, ct);

        var (exit, output) = await job.RunToEndAsync(RunTimeout);

        Assert.True(exit == 0, $"The bounded run over hostile records exited with {exit}.\n{output}");
        var deadLetters = await job.DeadLettersAsync(ct);
        var expected = records.Select((r, offset) => (Offset: (long)offset, r.Name, r.ExpectedReason)).Where(r => r.ExpectedReason is not null).ToList();
        var problems = new List<string>();
        foreach (var (offset, name, reason) in expected)
        {
            var found = deadLetters.Where(d => d.Offset == offset).ToList();
            if (found.Count != 1 || found[0].Reason != reason || string.IsNullOrWhiteSpace(found[0].Error))
            {
                problems.Add($"{name} (offset {offset}): expected one dead letter '{reason}', found [{string.Join("; ", found.Select(f => $"{f.Reason}: {f.Error}"))}]");
            }
        }

        foreach (var extra in deadLetters.Where(d => d.Offset is not { } o || records[(int)o].ExpectedReason is null))
        {
            problems.Add($"unexpected dead letter at offset {extra.Offset}: {extra.Reason}: {extra.Error}");
        }

        var totals = await job.TotalsAsync(ct);
        var expectedCustomers = records.Where(r => r.ExpectedReason is null).Select(r => r.Customer!).Order(StringComparer.Ordinal).ToList();
        var written = totals.Select(t => t.Customer).Order(StringComparer.Ordinal).ToList();
        if (!expectedCustomers.SequenceEqual(written, StringComparer.Ordinal))
        {
            problems.Add($"orders: expected customers [{string.Join(", ", expectedCustomers)}], table has [{string.Join(", ", written)}]");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + output);
        Assert.Equal(0L, await PoisonJob.ScalarAsync($"SELECT count(*) FROM pg_prepared_xacts WHERE starts_with(gid, 'etl:{job.JobName}:')", ct));
    }

    [Fact]
    public async Task BoundedRun_TwoOrdersOfTheMaximumAmountInOneWindow_WritesTheirExactTotal()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var job = await PoisonJob.CreateAsync(ct);
        const string Max = "9999999999999999.99";
        await job.ProduceAsync(
        [
            Valid("max-1", "whale", Max, T0),
            Valid("max-2", "whale", Max, "2026-11-21T10:00:02.000Z"),
            Valid("min-1", "debtor", "-" + Max, T0),
            Valid("min-2", "debtor", "-" + Max, "2026-11-21T10:00:02.000Z"),
        ], ct);

        var (exit, output) = await job.RunToEndAsync(RunTimeout);

        Assert.True(exit == 0, $"The bounded run exited with {exit}.\n{output}");
        var totals = await job.TotalsAsync(ct);
        Assert.Equal(
            [("debtor", -19999999999999999.98m, 2L), ("whale", 19999999999999999.98m, 2L)],
            totals.Select(t => (t.Customer, t.Total, t.Count)).ToList());
        Assert.Empty(await job.DeadLettersAsync(ct));
    }

    [Fact]
    public async Task Start_TotalsTableOfAnOlderVersionWithNumeric18_2_RefusesWithTheStatementThatFixesIt()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var job = await PoisonJob.CreateAsync(ct);
        await PoisonJob.ExecuteAsync(
            $"CREATE TABLE {job.Table} (customer_id text NOT NULL, window_start timestamptz NOT NULL, window_end timestamptz NOT NULL, " +
            "total numeric(18,2) NOT NULL, order_count bigint NOT NULL, PRIMARY KEY (customer_id, window_start))",
            ct);
        await job.ProduceAsync([Valid("o-1", "c-1", "1.00", T0)], ct);

        var (exit, output) = await job.RunToEndAsync(RunTimeout);

        Assert.True(exit is 1 or 2, $"The run on an old numeric(18,2) table exited with {exit}.\n{output}");
        Assert.Contains($"ALTER TABLE {job.Table} ALTER COLUMN total TYPE numeric", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_OneOrderStampedInYear9999_IsDeadLetteredAndLaterOrdersAreNotLate()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var job = await PoisonJob.CreateAsync(ct);
        var base0 = DateTimeOffset.Parse(T0, CultureInfo.InvariantCulture);
        await using var worker = job.Start(["run"]);
        await OrderTotalsRun.WaitUntilReadyAsync(worker, TimeSpan.FromMinutes(1));
        await job.ProduceAsync(
            [Valid("before", "c-1", "1.00", T0), Valid("absurd", "c-2", "5.00", "9999-12-31T23:59:59.999Z") with { ExpectedReason = "event-time-ahead" }],
            ct);
        // Once the absurd order's dead letter is committed, its watermark (had it got through) was emitted long before.
        await Etl.Tests.Integration.Infrastructure.Poll.UntilAsync(
            async () =>
            {
                Assert.False(worker.HasExited, worker.Describe());
                return (await job.DeadLettersAsync(ct)).Count > 0;
            },
            TimeSpan.FromMinutes(1),
            "the absurd order's dead letter");

        await job.ProduceAsync(Enumerable.Range(1, 30).Select(i => Valid($"after-{i}", "c-1", "1.00", Ts(base0.AddSeconds(10 * i)))), ct);
        await Etl.Tests.Integration.Infrastructure.Poll.UntilAsync(
            async () => (await job.TotalsAsync(ct)).Where(t => t.Customer == "c-1").Sum(t => t.Count) >= 25 || (await job.DeadLettersAsync(ct)).Count > 1,
            TimeSpan.FromMinutes(1),
            "the later orders' windows or a dead letter");
        await OrderTotalsRun.TerminateAsync(worker);
        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromMinutes(1)));

        var deadLetters = await job.DeadLettersAsync(ct);
        var dead = Assert.Single(deadLetters);
        Assert.Equal((1L, "event-time-ahead"), (dead.Offset!.Value, dead.Reason));
        Assert.Contains("9999-12-31T23:59:59.999", dead.Error, StringComparison.Ordinal);
        var totals = await job.TotalsAsync(ct);
        Assert.True(totals.Where(t => t.Customer == "c-1").Sum(t => t.Count) >= 25, worker.Describe());
        Assert.DoesNotContain(totals, t => t.Customer == "c-2");
    }

    private static string Ts(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static PoisonRecord Valid(string orderId, string customer, string amount, string ts) =>
        new(orderId, Encoding.UTF8.GetBytes(customer), Json(orderId, customer, $"\"{amount}\"", $"\"{ts}\""), null, customer);

    private static byte[] Json(string orderId, string customer, string amountJson, string tsJson) =>
        Encoding.UTF8.GetBytes($"{{\"order_id\": \"{orderId}\", \"customer_id\": \"{customer}\", \"amount\": {amountJson}, \"ts\": {tsJson}}}");

    private static PoisonRecord Bad(string name, string json, string reason = "deserialization") =>
        new(name, "k"u8.ToArray(), Encoding.UTF8.GetBytes(json), reason);

    private static byte[] Splice(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>The hostile inputs, in produce order (the index is the offset). Seeded where random.</summary>
    private static List<PoisonRecord> HostileRecords()
    {
        var random = new Random(1310);
        var hugeText = new string('x', 700_000);
        var noise = new byte[4096];
        random.NextBytes(noise);
        const string Ok = "\"order_id\": \"o\", \"amount\": \"1.00\", \"ts\": \"" + T0 + "\"";
        return
        [
            Valid("plain", "c-plain", "1.00", T0),
            Bad("NUL in customer_id", $$"""{"customer_id": "c\u0000x", {{Ok}}}"""),
            Bad("NUL in order_id", $$"""{"order_id": "o\u0000", "customer_id": "c", "amount": "1.00", "ts": "{{T0}}"}"""),
            Bad("NUL in amount (reaches the error text)", """{"order_id": "o", "customer_id": "c", "amount": "1\u0000", "ts": "2026-11-21T10:00:00Z"}"""),
            Bad("NUL in ts (reaches the error text)", """{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "2026-11-21\u0000T10:00:00Z"}"""),
            new("NUL in unknown property names of a valid order", "k"u8.ToArray(), Encoding.UTF8.GetBytes($$"""{"customer_id": "c-nul-name", {{Ok}}, "x\u0000": 1, "amount\u0000": "2"}"""), null, "c-nul-name"),
            Bad("raw NUL byte in a string", Encoding.UTF8.GetString(Splice("{\"customer_id\": \"c", [0], $"\", {Ok}}}"))),
            Bad("lone high surrogate in customer_id", $$"""{"customer_id": "c\ud800", {{Ok}}}"""),
            Bad("lone low surrogate in amount", """{"order_id": "o", "customer_id": "c", "amount": "\udc00", "ts": "2026-11-21T10:00:00Z"}"""),
            Bad("lone surrogate in ts", """{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "\ud800"}"""),
            new("invalid UTF-8 in customer_id", "k"u8.ToArray(), Splice("{\"customer_id\": \"c", [0xff, 0xfe], $"\", {Ok}}}"), "deserialization"),
            new("invalid UTF-8 in amount", "k"u8.ToArray(), Splice($"{{\"order_id\": \"o\", \"customer_id\": \"c\", \"ts\": \"{T0}\", \"amount\": \"1", [0xc3, 0x28], "\"}"), "deserialization"),
            new("encoded surrogate (CESU) in ts", "k"u8.ToArray(), Splice("{\"order_id\": \"o\", \"customer_id\": \"c\", \"amount\": \"1.00\", \"ts\": \"", [0xed, 0xa0, 0x80], "\"}"), "deserialization"),
            new("random bytes", "k"u8.ToArray(), noise, "deserialization"),
            new("random bytes with a NUL key", [0, 1, 0], [.. "{\"a\": "u8, .. noise], "deserialization"),
            new("valid order under a non-UTF-8 key", [0xff, 0x00, 0xc3], Json("o-k", "c-odd-key", "\"2.00\"", $"\"{T0}\""), null, "c-odd-key"),
            Bad("huge customer_id (700 kB)", $$"""{"customer_id": "{{hugeText}}", {{Ok}}}"""),
            new("huge unknown field (700 kB) of a valid order", "k"u8.ToArray(), Encoding.UTF8.GetBytes($"{{\"note\": \"{hugeText}\", \"customer_id\": \"c-huge-note\", {Ok}}}"), null, "c-huge-note"),
            Bad("huge amount (700 kB of digits)", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": {{new string('9', 700_000)}}}"""),
            Bad("deeply nested", "{\"customer_id\": \"c\", " + Ok + ", \"x\": " + new string('[', 10_000) + new string(']', 10_000) + "}"),
            new("empty value", "k"u8.ToArray(), [], "deserialization"),
            new("null value (tombstone)", "k"u8.ToArray(), null, "deserialization"),
            new("null value and null key", null, null, "deserialization"),
            Bad("duplicate customer_id", $$"""{"customer_id": "c-a", "customer_id": "c-b", {{Ok}}}"""),
            Bad("duplicate amount", """{"order_id": "o", "customer_id": "c", "amount": "1.00", "amount": "2.00", "ts": "2026-11-21T10:00:00Z"}"""),
            Bad("amount 1e400", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": 1e400}"""),
            Bad("amount 1e-400", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": 1e-400}"""),
            Bad("amount with 40 decimals", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": 1.0000000000000000000000000000000000000001}"""),
            Bad("amount string with 40 decimals", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": "0.1000000000000000000000000000000000000001"}"""),
            Bad("amount with 60 integer digits", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": "{{new string('1', 60)}}"}"""),
            Bad("amount NaN", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": "NaN"}"""),
            Bad("amount Infinity", $$"""{"order_id": "o", "customer_id": "c", "ts": "{{T0}}", "amount": "Infinity"}"""),
            new("amount -0", "k"u8.ToArray(), Json("o-z", "c-minus-zero", "-0", $"\"{T0}\""), null, "c-minus-zero"),
            new("amount \"-0.00\"", "k"u8.ToArray(), Json("o-z2", "c-minus-zero-string", "\"-0.00\"", $"\"{T0}\""), null, "c-minus-zero-string"),
            Bad("ts in year 1", $$"""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "0001-01-01T00:00:00Z"}"""),
            Bad("ts past the end of time", $$"""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": "9999-12-31T23:59:59.999-14:00"}"""),
            Bad("ts 2^63 ms", $$"""{"order_id": "o", "customer_id": "c", "amount": "1.00", "ts": 9223372036854775807}"""),
            new("malformed record with a Kafka timestamp past year 9999", "k"u8.ToArray(), "{"u8.ToArray(), "deserialization", KafkaTimestamp: 300_000_000_000_000),
            new("malformed record with a Kafka timestamp before 1970", "k"u8.ToArray(), "{"u8.ToArray(), "deserialization", KafkaTimestamp: -62_000_000_000_000),
            Bad("JSON array", "[1, 2, 3]"),
            Bad("JSON string", "\"\\u0000\""),
            Bad("UTF-8 BOM then object", "\uFEFF{\"customer_id\": \"c\", " + Ok + "}"),
            Bad("truncated", "{\"order_id\": \"o\", \"customer_id\": "),
            Bad("control character U+001F in customer_id", $$"""{"customer_id": "c\u001f", {{Ok}}}"""),
            new("valid order, emoji and U+FFFF in customer_id", "k"u8.ToArray(), Json("o-e", "c-\\ud83d\\ude00-\\uffff", "\"3.00\"", $"\"{T0}\""), null, "c-\U0001F600-\uffff"),
            Valid("last", "c-last", "4.00", T0),
        ];
    }
}
