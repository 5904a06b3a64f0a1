namespace Etl.Tests.Unit.Runtime.ExactlyOnce;

/// <summary>The open transaction of <see cref="ModelParticipant"/>: buffered rows, and whether BEGIN was sent.</summary>
public sealed class ModelEpoch
{
    public List<Sum> Rows { get; } = [];

    public bool Begun { get; set; }
}
