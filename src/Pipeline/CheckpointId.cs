namespace Etl.Pipeline;

/// <summary>
/// The id of a checkpoint or savepoint. Ids strictly increase over the life of a job, also across
/// restarts (DESIGN 3.1), so a higher id subsumes every lower one.
/// </summary>
public readonly record struct CheckpointId(long Value) : IComparable<CheckpointId>
{
    public static CheckpointId None => new(0);

    public CheckpointId Next() => new(Value + 1);

    public int CompareTo(CheckpointId other) => Value.CompareTo(other.Value);

    public static bool operator <(CheckpointId left, CheckpointId right) => left.Value < right.Value;

    public static bool operator >(CheckpointId left, CheckpointId right) => left.Value > right.Value;

    public static bool operator <=(CheckpointId left, CheckpointId right) => left.Value <= right.Value;

    public static bool operator >=(CheckpointId left, CheckpointId right) => left.Value >= right.Value;

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
