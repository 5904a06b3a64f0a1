using Etl.Connectors.Kafka;
using Etl.Tests.Unit.Harness;

namespace Etl.Tests.Unit.Kafka;

public class EventTimeBoundTests
{
    [Fact]
    public void Check_EventTimeAheadOfTheWallClock_IsRefusedPastTheBoundOnly()
    {
        var clock = new ManualTimeProvider();
        var bound = new EventTimeBound(TimeSpan.FromDays(1));
        bound.Refresh(clock.GetUtcNow());
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();

        bound.Check(now + (long)TimeSpan.FromDays(1).TotalMilliseconds);
        bound.Check(0);
        var refused = Assert.Throws<EventTimeAheadException>(() => bound.Check(now + (long)TimeSpan.FromDays(1).TotalMilliseconds + 1));
        Assert.Contains("2026-11-22T10:00:00.001Z", refused.Message, StringComparison.Ordinal);

        clock.Advance(TimeSpan.FromHours(1));
        bound.Refresh(clock.GetUtcNow());
        bound.Check(now + (long)TimeSpan.FromDays(1).TotalMilliseconds + 1);
    }

    [Fact]
    public void Check_AbsurdTimestamps_NeverOverflow()
    {
        var bound = new EventTimeBound(TimeSpan.FromDays(3650));
        bound.Refresh(DateTimeOffset.MaxValue);

        bound.Check(long.MinValue);
        Assert.Throws<EventTimeAheadException>(() => bound.Check(long.MaxValue));
        var unbounded = new EventTimeBound(null);
        unbounded.Refresh(DateTimeOffset.UtcNow);
        unbounded.Check(long.MaxValue);
    }
}
