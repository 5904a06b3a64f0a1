namespace Etl.Tests.Unit.Windows;

/// <summary>
/// Seeded random streams: a few keys, timestamps that drift forward with gaps, most records within a
/// bounded out-of-orderness and some much later, and watermarks max(ts) - bound - 1 at random points.
/// </summary>
public static class StreamCaseGenerator
{
    public static StreamCase Generate(WindowKind kind, int seed)
    {
        var rng = new Random(seed);
        var keys = rng.Next(1, 5);
        var records = rng.Next(5, 90);
        var bound = rng.Next(0, 15);
        var lateness = rng.Next(3) == 0 ? 0 : rng.Next(1, 30);
        var watermarkEvery = rng.Next(1, 8);
        long size = 0, slide = 0, offset = 0, gap = 0;
        switch (kind)
        {
            case WindowKind.Tumbling:
                size = rng.Next(3, 40);
                slide = size;
                offset = rng.Next(0, (int)size);
                break;
            case WindowKind.Sliding:
                slide = rng.Next(2, 12);
                size = (slide * rng.Next(1, 5)) + (rng.Next(2) == 0 ? 0 : rng.Next(0, (int)slide));
                offset = rng.Next(0, (int)slide);
                break;
            default:
                gap = rng.Next(1, 25);
                break;
        }

        var steps = new List<StreamStep>();
        long time = rng.Next(-60, 60);
        var maxTimestamp = long.MinValue;
        for (var id = 1; id <= records; id++)
        {
            time += rng.Next(0, 6);
            if (rng.Next(12) == 0)
            {
                time += rng.Next(10, 80);
            }

            var behind = rng.Next(5) == 0 ? rng.Next(0, bound + lateness + 40) : rng.Next(0, bound + 1);
            var timestamp = time - behind;
            var amount = rng.Next(-100_000, 100_000) / 100m;
            steps.Add(new StreamStep(new Order(id, $"c{rng.Next(keys)}", amount), timestamp));
            maxTimestamp = Math.Max(maxTimestamp, timestamp);
            if (rng.Next(watermarkEvery) == 0)
            {
                steps.Add(new StreamStep(null, maxTimestamp - bound - 1));
            }
        }

        return new StreamCase(seed, kind, size, slide, offset, gap, lateness, steps);
    }
}
