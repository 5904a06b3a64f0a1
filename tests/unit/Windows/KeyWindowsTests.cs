using Etl.Pipeline.Windows;

namespace Etl.Tests.Unit.Windows;

public sealed class KeyWindowsTests
{
    // The first window lives inline and the rest in an array: a seeded run of adds and removes (moving the last slot
    // into the hole) must keep the same set of windows, with their accumulators, as a plain list does.
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AddsAndRemoves_KeepTheSameWindowsAsAList(int seed)
    {
        var random = new Random(seed);
        var windows = new KeyWindows<string, long>();
        var reference = new List<(long Start, long Accumulator)>();
        for (var step = 0; step < 5_000; step++)
        {
            if (reference.Count == 0 || (reference.Count < 6 && random.Next(2) == 0))
            {
                var start = random.Next(1_000) * 10L;
                if (windows.IndexOf(start) >= 0)
                {
                    continue;
                }

                var index = windows.Add(new WindowSlot<long>(start, start + 10, start * 3, fired: false));
                Assert.Equal(reference.Count, index);
                reference.Add((start, start * 3));
            }
            else
            {
                var index = random.Next(reference.Count);
                var start = reference[index].Start;
                Assert.Equal(index, windows.IndexOf(start));
                windows.RemoveAt(index);
                reference[index] = reference[^1];
                reference.RemoveAt(reference.Count - 1);
            }

            Assert.Equal(reference.Count, windows.Count);
            for (var i = 0; i < reference.Count; i++)
            {
                ref var slot = ref windows[i];
                Assert.Equal(reference[i].Start, slot.Start);
                Assert.Equal(reference[i].Accumulator, slot.Accumulator);
                Assert.Equal(i, windows.IndexOf(slot.Start));
                slot.Accumulator++;
                reference[i] = (reference[i].Start, reference[i].Accumulator + 1);
            }
        }
    }
}
