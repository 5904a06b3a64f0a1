namespace Etl.Pipeline.State;

/// <summary>A contiguous, inclusive range of key groups owned by one subtask.</summary>
public readonly record struct KeyGroupRange(int First, int Last)
{
    public bool Contains(int keyGroup) => keyGroup >= First && keyGroup <= Last;

    public int Count => Last - First + 1;
}
