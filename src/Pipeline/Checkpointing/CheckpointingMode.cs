namespace Etl.Pipeline.Checkpointing;

/// <summary>Whether operators with several inputs align barriers.</summary>
public enum CheckpointingMode
{
    /// <summary>Align barriers: a snapshot holds exactly the records before the barrier.</summary>
    ExactlyOnce,

    /// <summary>Do not align: faster under skew, but a restore may replay records already in the snapshot.</summary>
    AtLeastOnce,
}
