using System.Text;
using Etl.Pipeline;
using Etl.Pipeline.Operators;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Api;

public sealed class StatelessOperatorTests
{
    [Fact]
    public async Task Map_EmitsOneValuePerRecord_WithItsEventTime()
    {
        var h = await OperatorHarness.OpenAsync(new MapOperator<int, string>(i => $"#{i}"));
        await h.ProcessAsync(1, 10);
        await h.ProcessAsync(2, 5);

        Assert.Equal([new StreamRecord<string>("#1", 10), new StreamRecord<string>("#2", 5)], h.Output.Records);
    }

    [Fact]
    public async Task Filter_KeepsOnlyAcceptedRecords()
    {
        var h = await OperatorHarness.OpenAsync(new FilterOperator<int>(i => i % 2 == 0));
        foreach (var i in Enumerable.Range(0, 6))
        {
            await h.ProcessAsync(i, i * 100);
        }

        Assert.Equal([0, 2, 4], h.Output.Values);
        Assert.Equal([0L, 200, 400], h.Output.Records.Select(r => r.Timestamp));
    }

    [Fact]
    public async Task FlatMap_EmitsZeroOrMoreValues_EachWithTheInputsEventTime()
    {
        var h = await OperatorHarness.OpenAsync(new FlatMapOperator<string, string>(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        await h.ProcessAsync("a b", 7);
        await h.ProcessAsync("", 8);
        await h.ProcessAsync("c", 9);

        Assert.Equal([("a", 7L), ("b", 7L), ("c", 9L)], h.Output.Records.Select(r => (r.Value, r.Timestamp)));
    }

    [Fact]
    public async Task Parse_TurnsARejectedRecordIntoAValidationDeadLetter_AndGoesOn()
    {
        var h = await OperatorHarness.OpenAsync(new ParseOperator<string, Order>(Order.Parse, RecordBytes.Of<string>()));
        await h.ProcessAsync("a,1.5", 1);
        await h.ProcessAsync("a;1", 2);
        await h.ProcessAsync("b,2", 3);

        Assert.Equal([new Order("a", 1.5m), new Order("b", 2m)], h.Output.Values);
        var dead = Assert.Single(h.Output.DeadLetters);
        Assert.Equal((DeadLetterReasons.Validation, "a;1", 2L), (dead.Reason, Encoding.UTF8.GetString(dead.Value!), dead.Timestamp));
        Assert.Equal("'a;1' is not 'customer,amount'.", dead.Error);
    }

    [Fact]
    public void RecordBytes_AreUtf8ForStrings_TheArrayForBytes_AndJsonOtherwise()
    {
        Assert.Equal("é"u8.ToArray(), RecordBytes.Of<string>()("é"));
        Assert.Equal(new byte[] { 1, 2 }, RecordBytes.Of<byte[]>()([1, 2]));
        Assert.Equal("""{"Customer":"a","Amount":1.5}""", Encoding.UTF8.GetString(RecordBytes.Of<Order>()(new Order("a", 1.5m))));
    }
}
