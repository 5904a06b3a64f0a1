namespace Etl.Hosting.Http;

/// <summary>Dead letters written since the worker started, by reason (counted again when replayed after a restore).</summary>
internal sealed record DeadLetterView(string Reason, long Count);
