namespace Etl.Tests.Unit.Windows;

/// <summary>
/// A naive session simulator: a flat list of sessions scanned in full for every record and watermark,
/// with the record lists kept so every result is recomputed from scratch. Rules: a record opens
/// [t, t + gap) and merges with each session of its key that overlaps or touches it; a merged session
/// whose end - 1 the watermark reached fires at once as late, otherwise it waits for the watermark;
/// a record that joins nothing and whose own window is past end - 1 + lateness is late.
/// </summary>
public static class SessionReference
{
    public static ReferenceResult Compute(StreamCase c)
    {
        var sessions = new List<Session>();
        var emissions = new List<Emission>();
        var late = new List<long>();
        var watermark = long.MinValue;
        var bridges = 0;
        foreach (var step in c.Steps.Append(new StreamStep(null, long.MaxValue)))
        {
            if (step.Order is not { } order)
            {
                if (step.Time <= watermark)
                {
                    continue;
                }

                watermark = step.Time;
                foreach (var s in sessions.Where(s => !s.Fired && s.End - 1 <= watermark))
                {
                    emissions.Add(s.Emit(late: false));
                }

                sessions.RemoveAll(s => s.End - 1 + c.Lateness <= watermark);
                continue;
            }

            var start = step.Time;
            var end = start + c.Gap;
            var touching = sessions.Where(s => s.Key == order.Customer && s.Start <= end && s.End >= start).ToList();
            if (touching.Count == 0 && end - 1 + c.Lateness <= watermark)
            {
                late.Add(order.Id);
                continue;
            }

            bridges += touching.Count >= 2 ? 1 : 0;
            var merged = new Session(order.Customer,
                touching.Select(s => s.Start).Append(start).Min(),
                touching.Select(s => s.End).Append(end).Max(),
                touching.SelectMany(s => s.Orders).Append(order).ToList());
            sessions.RemoveAll(touching.Contains);
            sessions.Add(merged);
            if (merged.End - 1 <= watermark)
            {
                emissions.Add(merged.Emit(late: true));
            }
        }

        return new ReferenceResult(emissions, late, bridges);
    }

    private sealed class Session(string key, long start, long end, List<Order> orders)
    {
        public string Key { get; } = key;

        public long Start { get; } = start;

        public long End { get; } = end;

        public List<Order> Orders { get; } = orders;

        public bool Fired { get; private set; }

        public Emission Emit(bool late)
        {
            Fired = true;
            return new Emission(Key, Start, End, TraceAccumulator.Of(Orders), late, End - 1);
        }
    }
}
