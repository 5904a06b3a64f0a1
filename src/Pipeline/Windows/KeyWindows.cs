namespace Etl.Pipeline.Windows;

/// <summary>
/// The open windows of one key: a small unsorted array (a tumbling key has one or two, a sliding key
/// size/slide plus lateness, a session key usually one), so a linear scan beats any tree.
/// </summary>
internal sealed class KeyWindows<TAcc>
{
    private WindowSlot<TAcc>[] _slots = new WindowSlot<TAcc>[2];

    public int Count { get; private set; }

    public ref WindowSlot<TAcc> this[int index] => ref _slots[index];

    public int IndexOf(long start)
    {
        var slots = _slots;
        for (var i = 0; i < Count; i++)
        {
            if (slots[i].Start == start)
            {
                return i;
            }
        }

        return -1;
    }

    public int Add(in WindowSlot<TAcc> slot)
    {
        if (Count == _slots.Length)
        {
            Array.Resize(ref _slots, _slots.Length * 2);
        }

        _slots[Count] = slot;
        return Count++;
    }

    /// <summary>Removes by moving the last slot into the hole: indexes of other slots may change.</summary>
    public void RemoveAt(int index)
    {
        Count--;
        _slots[index] = _slots[Count];
        _slots[Count] = default;
    }
}
