namespace Etl.Pipeline.Runtime;

/// <summary>What an input change did to a subtask's watermark.</summary>
internal enum ValveOutput
{
    None,
    Advanced,

    /// <summary>Every input is idle: tell downstream, so it stops waiting on this subtask.</summary>
    BecameIdle,
}
