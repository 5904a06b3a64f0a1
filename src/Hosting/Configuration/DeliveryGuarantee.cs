namespace Etl.Worker.Configuration;

/// <summary>Exactly-once aligns checkpoint barriers; at-least-once does not (a restore may count a record twice).</summary>
internal enum DeliveryGuarantee
{
    ExactlyOnce,
    AtLeastOnce,
}
