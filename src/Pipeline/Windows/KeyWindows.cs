namespace Etl.Pipeline.Windows;

/// <summary>
/// The open windows of one key: a small unsorted set (a tumbling key has one or two, a sliding key
/// size/slide plus lateness, a session key usually one), so a linear scan beats any tree.
/// </summary>
/// <remarks>
/// The first window lives in this object and only the others in an array: most keys have one open window, and
/// the window state is the job's heap (about 100 bytes per key less than an array of two slots beside the object).
/// The overflow array is kept once grown, so a key that crosses window boundaries does not reallocate each time.
/// Timers point at this object, so a firing window is found without looking its key up again.
/// </remarks>
internal sealed class KeyWindows<TKey, TAcc>
{
    private WindowSlot<TAcc> _first;
    private WindowSlot<TAcc>[]? _more;

    /// <summary>The key these windows belong to: the very object the store's dictionary holds it under.</summary>
    public TKey Key { get; set; } = default!;

    /// <summary>Which release of the store last left this key without windows (see <see cref="WindowStore{TIn, TKey, TAcc, TResult}.Release"/>).</summary>
    public int Released { get; set; }

    public int Count { get; private set; }

    public ref WindowSlot<TAcc> this[int index] => ref index == 0 ? ref _first : ref _more![index - 1];

    public int IndexOf(long start)
    {
        if (Count == 0)
        {
            return -1;
        }

        if (_first.Start == start)
        {
            return 0;
        }

        var more = _more;
        for (var i = 0; i < Count - 1; i++)
        {
            if (more![i].Start == start)
            {
                return i + 1;
            }
        }

        return -1;
    }

    public int Add(in WindowSlot<TAcc> slot)
    {
        if (Count == 0)
        {
            _first = slot;
        }
        else
        {
            if (_more is null)
            {
                _more = new WindowSlot<TAcc>[1];
            }
            else if (Count - 1 == _more.Length)
            {
                Array.Resize(ref _more, _more.Length * 2);
            }

            _more[Count - 1] = slot;
        }

        return Count++;
    }

    /// <summary>Removes by moving the last slot into the hole: indexes of other slots may change.</summary>
    public void RemoveAt(int index)
    {
        var last = Count - 1;
        if (index != last)
        {
            this[index] = this[last];
        }

        this[last] = default;
        Count--;
    }
}
